/* Declarations shared by the parts of libpassim; nothing here is exported. */
#ifndef PASSIM_INTERNAL_H
#define PASSIM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* Status codes the secure world returns in a0 (kernel qcom_scm.h, "common error codes"). */
enum scm_status {
	SCM_OK = 0,
	SCM_ERROR = -1,       /* kernel maps it to -EIO: authentication failed */
	SCM_EINVAL_ARG = -2,  /* -EINVAL */
	SCM_EINVAL_ADDR = -3, /* -EINVAL */
	SCM_EOPNOTSUPP = -4,  /* -EOPNOTSUPP */
	SCM_ENOMEM = -5,      /* -ENOMEM */
};

/* Little-endian fields, read and written byte by byte: wire buffers need not be aligned. */
static inline uint32_t rd16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static inline uint32_t rd32(const uint8_t *p)
{
	return rd16(p) | rd16(p + 2) << 16;
}

static inline uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static inline void wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* ---- physmem.c: the physical address space, as far as the secure world can see it ---- */

/* Bytes at [phys, phys + len) when one attached range holds them all, else NULL. */
const uint8_t *phys_span(uint64_t phys, uint64_t len);
/* Bytes from phys to the end of the attached range holding it, or 0 (and *at = NULL). */
uint64_t phys_available(uint64_t phys, const uint8_t **at);
/* As phys_span, for memory the secure world writes (a call's RW buffer); NULL when read-only. */
uint8_t *phys_span_writable(uint64_t phys, uint64_t len);
/* Whether len bytes at phys are all zero: 1 for none, 0 when they are not all in one range. */
int phys_is_zero(uint64_t phys, uint64_t len);
/*
 * Whether this process maps any byte of the file behind [phys, phys + len) other than through
 * the secure world's own mappings (read from /proc/self/maps): what the CPU could still reach.
 */
int phys_cpu_mapped(uint64_t phys, uint64_t len);
int phys_attach(uint64_t phys, uint64_t size, const char *path, uint64_t offset, const char **failed_call);
void phys_reset(void);

/* ---- shmbridge.c: non-secure memory shared with the secure world ---- */

int bridge_create(uint64_t pfn_and_ns_perm, uint64_t ipfn_and_s_perm, uint64_t size_and_flags, uint64_t ns_vmids,
		  uint64_t *handle);
int bridge_delete(uint64_t handle);
int bridge_covers(uint64_t phys, uint64_t len);
void bridge_reset(void);

/* ---- monitor.c: why the last call was refused by one of the simulation's own checks ---- */

void refuse(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- metadata.c: the blob init_image points at (ELF header, program headers, hash segment) ---- */

#define DIGEST_MAX 48

struct load_segment {
	unsigned index;          /* program header index, which is also its digest table index */
	uint64_t paddr;
	uint64_t filesz;
	uint64_t memsz;
	uint8_t digest[DIGEST_MAX];
};

struct image {
	unsigned digest_len;     /* 32 (SHA-256) or 48 (SHA-384) */
	int relocatable;
	uint64_t min_paddr;
	uint64_t load_size;      /* kernel qcom_mdt_get_size(): end rounded up to 4 KiB - min_paddr */
	unsigned nsegs;
	struct load_segment *segs;
};

/* Parses and checks the metadata blob in `avail` bytes at `blob`; fills *img (free with image_free). */
int metadata_parse(const uint8_t *blob, uint64_t avail, struct image *img);
void image_free(struct image *img);
/* Digest of len bytes with the image's algorithm; 0 or SCM_ENOMEM. */
int image_digest(const struct image *img, const uint8_t *data, uint64_t len, uint8_t *out);

/* ---- pas.c: the peripheral authentication service ---- */

enum pas_state { PAS_IDLE = 0, PAS_INITIALIZED = 1, PAS_MEM_SETUP = 2, PAS_RUNNING = 3 };

#define PAS_MAX_ID 64

int pas_is_supported(uint64_t pas_id, uint64_t *result);
int pas_init_image(uint64_t pas_id, uint64_t metadata_phys);
int pas_mem_setup(uint64_t pas_id, uint64_t phys, uint64_t size);
int pas_auth_and_reset(uint64_t pas_id);
int pas_shutdown(uint64_t pas_id);
int pas_get_rsc_table(uint64_t pas_id, uint64_t in, uint64_t in_size, uint64_t out, uint64_t out_size,
		      uint64_t *response, uint64_t *size);
/* Whether the OS runs at EL2 with no hypervisor: auth_and_reset then checks what a hypervisor did. */
void pas_set_el2(int on);
int pas_state(uint64_t pas_id);
void pas_reset(void);

#endif
