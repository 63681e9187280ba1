/*
 * The physical address space the simulated secure world can read: ranges backed by files (a
 * carveout's backing file, the metadata buffer) or by a memory device such as /dev/mem, mapped
 * MAP_SHARED so that what the loader writes through its own mapping is what the secure world
 * reads, with no copy and no sync step.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "internal.h"

#define MAX_RANGES 32

struct range {
	uint64_t phys;
	uint64_t size;
	void *map;        /* the page-aligned mapping */
	size_t map_len;
	uint8_t *at;      /* byte of phys inside map */
	int writable;     /* a regular file opened for writing: call buffers the secure world answers in */
	dev_t dev;        /* the file, to recognise other mappings of it */
	ino_t ino;
	uint64_t offset;  /* of phys in the file */
	int fd;           /* a regular file's, kept to find its holes; -1 for a memory device */
};

static struct range ranges[MAX_RANGES];
static unsigned nranges;

static const struct range *find(uint64_t phys)
{
	for (unsigned i = 0; i < nranges; i++) {
		if (phys >= ranges[i].phys && phys - ranges[i].phys < ranges[i].size)
			return &ranges[i];
	}
	return NULL;
}

uint64_t phys_available(uint64_t phys, const uint8_t **at)
{
	const struct range *r = find(phys);

	if (!r) {
		*at = NULL;
		return 0;
	}
	*at = r->at + (phys - r->phys);
	return r->size - (phys - r->phys);
}

const uint8_t *phys_span(uint64_t phys, uint64_t len)
{
	const uint8_t *at;
	uint64_t avail = phys_available(phys, &at);

	if (!at || len > avail)
		return NULL;
	return at;
}

static int bytes_zero(const uint8_t *bytes, uint64_t len)
{
	return len == 0 || (bytes[0] == 0 && memcmp(bytes, bytes + 1, len - 1) == 0);
}

/*
 * Holes in a regular file read as zero without being read: the loader leaves the zero fill of a
 * carveout it created unwritten, and faulting those pages in would have the kernel allocate and
 * clear a page for each (about 100 MB for a modem image). lseek's SEEK_DATA counts pages written
 * but not yet on disk as data, so only bytes never written are skipped.
 */
int phys_is_zero(uint64_t phys, uint64_t len)
{
	const struct range *r = find(phys);
	const uint8_t *at = phys_span(phys, len);
	off_t start, pos, end;

	if (len == 0)
		return 1;
	if (!at)
		return 0;
	if (r->fd < 0)
		return bytes_zero(at, len);
	start = (off_t)(r->offset + (phys - r->phys));
	end = start + (off_t)len;
	for (pos = start; pos < end;) {
		off_t data = lseek(r->fd, pos, SEEK_DATA);
		off_t hole;

		if (data < 0)
			/* ENXIO: no data from pos on; any other failure: read the bytes themselves */
			return errno == ENXIO || bytes_zero(at + (pos - start), (uint64_t)(end - pos));
		if (data >= end)
			return 1;
		hole = lseek(r->fd, data, SEEK_HOLE);
		if (hole < 0 || hole > end)
			hole = end;
		if (!bytes_zero(at + (data - start), (uint64_t)(hole - data)))
			return 0;
		pos = hole;
	}
	return 1;
}

uint8_t *phys_span_writable(uint64_t phys, uint64_t len)
{
	const struct range *r = find(phys);

	if (!r || !r->writable || len > r->size - (phys - r->phys))
		return NULL;
	return r->at + (phys - r->phys);
}

static int own_mapping(uint64_t start)
{
	for (unsigned i = 0; i < nranges; i++) {
		if ((uintptr_t)ranges[i].map == start)
			return 1;
	}
	return 0;
}

int phys_cpu_mapped(uint64_t phys, uint64_t len)
{
	const struct range *r = find(phys);
	uint64_t from, to, start, end, off, ino;
	unsigned major_no, minor_no;
	char perms[5], *line = NULL;
	size_t cap = 0;
	int mapped = 0;
	FILE *maps;

	if (!r)
		return 0;
	from = r->offset + (phys - r->phys);
	to = from + len;
	maps = fopen("/proc/self/maps", "re");
	if (!maps)
		return 1; /* cannot tell: assume the worst, as the hardware would not forgive it */
	while (!mapped && getline(&line, &cap, maps) > 0) {
		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %4s %" SCNx64 " %x:%x %" SCNu64, &start, &end, perms, &off,
			   &major_no, &minor_no, &ino) != 7)
			continue;
		mapped = ino == (uint64_t)r->ino && major_no == major(r->dev) && minor_no == minor(r->dev) &&
			 !own_mapping(start) && off < to && from < off + (end - start);
	}
	free(line);
	fclose(maps);
	return mapped;
}

static int overlaps(uint64_t phys, uint64_t size)
{
	for (unsigned i = 0; i < nranges; i++) {
		if (phys < ranges[i].phys + ranges[i].size && ranges[i].phys < phys + size)
			return 1;
	}
	return 0;
}

int phys_attach(uint64_t phys, uint64_t size, const char *path, uint64_t offset, const char **failed_call)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t lead = offset % (uint64_t)page;
	struct stat st;
	void *map;
	int fd, err, writable = 0;

	*failed_call = NULL;
	if (size == 0 || phys + size < phys || offset + size < offset || size > SIZE_MAX - lead)
		return -EINVAL;
	if (overlaps(phys, size))
		return -EEXIST;
	if (nranges == MAX_RANGES)
		return -ENOSPC;
	/*
	 * O_SYNC asks a memory device for the uncached mapping the loader has made through it (x86
	 * refuses a second mapping of the same physical pages with another memory type); it changes
	 * nothing for reading a regular file.
	 */
	fd = open(path, O_RDONLY | O_SYNC | O_CLOEXEC);
	if (fd < 0) {
		*failed_call = "open";
		return -errno;
	}
	if (fstat(fd, &st) < 0) {
		err = -errno;
		close(fd);
		*failed_call = "fstat";
		return err;
	}
	/*
	 * A regular file must hold the range: reading a mapped page past its end raises SIGBUS in the
	 * caller's process. A character device (/dev/mem) has no size; the offset is the physical
	 * address, and the kernel refuses at mmap what it will not map.
	 */
	if (!S_ISCHR(st.st_mode) && (!S_ISREG(st.st_mode) || (uint64_t)st.st_size < offset + size)) {
		close(fd);
		return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	}
	/* a regular file the secure world may write is opened again for writing; a memory device never is */
	if (S_ISREG(st.st_mode)) {
		int rw = open(path, O_RDWR | O_CLOEXEC);

		if (rw >= 0) {
			close(fd);
			fd = rw;
			writable = 1;
		}
	}
	map = mmap(NULL, size + lead, PROT_READ | (writable ? PROT_WRITE : 0), MAP_SHARED, fd, (off_t)(offset - lead));
	err = map == MAP_FAILED ? -errno : 0;
	if (err || !S_ISREG(st.st_mode)) {
		close(fd);
		fd = -1;
	}
	if (err) {
		*failed_call = "mmap";
		return err;
	}
	ranges[nranges++] = (struct range){
		.phys = phys, .size = size, .map = map, .map_len = size + lead,
		.at = (uint8_t *)map + lead, .writable = writable, .dev = st.st_dev, .ino = st.st_ino, .offset = offset,
		.fd = fd,
	};
	return 0;
}

void phys_reset(void)
{
	for (unsigned i = 0; i < nranges; i++) {
		munmap(ranges[i].map, ranges[i].map_len);
		if (ranges[i].fd >= 0)
			close(ranges[i].fd);
	}
	nranges = 0;
}
