/*
 * The physical address space the simulated secure world can read: ranges backed by files (a
 * carveout's backing file, the metadata buffer) or by a memory device such as /dev/mem, mapped
 * MAP_SHARED so that what the loader writes through its own mapping is what the secure world
 * reads, with no copy and no sync step.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define MAX_RANGES 32

struct range {
	uint64_t phys;
	uint64_t size;
	void *map;        /* the page-aligned mapping */
	size_t map_len;
	const uint8_t *at; /* byte of phys inside map */
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
	int fd, err;

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
	map = mmap(NULL, size + lead, PROT_READ, MAP_SHARED, fd, (off_t)(offset - lead));
	err = map == MAP_FAILED ? -errno : 0;
	close(fd);
	if (err) {
		*failed_call = "mmap";
		return err;
	}
	ranges[nranges++] = (struct range){
		.phys = phys, .size = size, .map = map, .map_len = size + lead,
		.at = (const uint8_t *)map + lead,
	};
	return 0;
}

void phys_reset(void)
{
	for (unsigned i = 0; i < nranges; i++)
		munmap(ranges[i].map, ranges[i].map_len);
	nranges = 0;
}
