/*
 * The peripheral authentication service: one state machine per peripheral (pas_id).
 *
 *   idle --init_image--> initialized --mem_setup--> memory set up --auth_and_reset--> running
 *                             \________________auth_and_reset (fixed image)________/
 *
 * A call out of order is refused with QCOM_SCM_EINVAL_ARG and changes nothing. A failed
 * authentication leaves the peripheral down (idle, metadata forgotten), as a fresh init_image is
 * then needed. shutdown is accepted in every state because loaders call it to clean up after any
 * failure.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

#define PAGE 4096u

struct peripheral {
	enum pas_state state;
	struct image img;
	uint64_t region_base; /* from mem_setup */
	uint64_t region_size;
};

static struct peripheral peripherals[PAS_MAX_ID];

static struct peripheral *lookup(uint64_t pas_id)
{
	return pas_id < PAS_MAX_ID ? &peripherals[pas_id] : NULL;
}

int pas_is_supported(uint64_t pas_id, uint64_t *result)
{
	*result = lookup(pas_id) != NULL;
	return SCM_OK;
}

int pas_init_image(uint64_t pas_id, uint64_t metadata_phys)
{
	struct peripheral *p = lookup(pas_id);
	const uint8_t *blob;
	uint64_t avail;
	int status;

	if (!p || p->state != PAS_IDLE)
		return SCM_EINVAL_ARG;
	/* the kernel hands over a dma_alloc_coherent() buffer: page aligned */
	if (metadata_phys % PAGE != 0)
		return SCM_EINVAL_ADDR;
	avail = phys_available(metadata_phys, &blob);
	if (!blob)
		return SCM_EINVAL_ADDR;
	status = metadata_parse(blob, avail, &p->img);
	if (status)
		return status;
	p->state = PAS_INITIALIZED;
	p->region_base = 0;
	p->region_size = 0;
	return SCM_OK;
}

int pas_mem_setup(uint64_t pas_id, uint64_t phys, uint64_t size)
{
	struct peripheral *p = lookup(pas_id);

	if (!p || p->state != PAS_INITIALIZED || size == 0)
		return SCM_EINVAL_ARG;
	if (phys % PAGE != 0 || !phys_span(phys, size))
		return SCM_EINVAL_ADDR;
	if (p->img.relocatable && size < p->img.load_size)
		return SCM_EINVAL_ARG;
	p->region_base = phys;
	p->region_size = size;
	p->state = PAS_MEM_SETUP;
	return SCM_OK;
}

static int is_zero(const uint8_t *bytes, uint64_t len)
{
	return len == 0 || (bytes[0] == 0 && memcmp(bytes, bytes + 1, len - 1) == 0);
}

/* Relocatable: at the mem_setup base, keeping the distances between segments; fixed: p_paddr. */
static uint64_t placed(const struct peripheral *p, const struct load_segment *s)
{
	return p->img.relocatable ? p->region_base + (s->paddr - p->img.min_paddr) : s->paddr;
}

static int inside_region(const struct peripheral *p, uint64_t addr, uint64_t len)
{
	return p->state != PAS_MEM_SETUP ||
	       (addr >= p->region_base && addr - p->region_base <= p->region_size &&
		len <= p->region_size - (addr - p->region_base));
}

/* Every loadable segment, read back from the memory it was loaded into. */
static int verify(const struct peripheral *p)
{
	uint8_t digest[DIGEST_MAX];
	static const uint8_t none[DIGEST_MAX];

	for (unsigned i = 0; i < p->img.nsegs; i++) {
		const struct load_segment *s = &p->img.segs[i];
		uint64_t addr = placed(p, s);
		const uint8_t *mem = phys_span(addr, s->memsz);
		int status;

		if (!mem || !inside_region(p, addr, s->memsz))
			return SCM_EINVAL_ADDR;
		status = image_digest(&p->img, mem, s->filesz, digest);
		if (status)
			return status;
		/* a segment without file bytes may carry a zero entry instead of the empty digest */
		if (memcmp(digest, s->digest, p->img.digest_len) != 0 &&
		    !(s->filesz == 0 && memcmp(none, s->digest, p->img.digest_len) == 0))
			return SCM_ERROR;
		if (!is_zero(mem + s->filesz, s->memsz - s->filesz))
			return SCM_ERROR;
	}
	return SCM_OK;
}

int pas_auth_and_reset(uint64_t pas_id)
{
	struct peripheral *p = lookup(pas_id);
	int status;

	if (!p || (p->state != PAS_INITIALIZED && p->state != PAS_MEM_SETUP))
		return SCM_EINVAL_ARG;
	/* a relocatable image has no address until mem_setup gives it one */
	if (p->state == PAS_INITIALIZED && p->img.relocatable)
		return SCM_EINVAL_ARG;
	status = verify(p);
	image_free(&p->img);
	p->state = status == SCM_OK ? PAS_RUNNING : PAS_IDLE;
	return status;
}

int pas_shutdown(uint64_t pas_id)
{
	struct peripheral *p = lookup(pas_id);

	if (!p)
		return SCM_EINVAL_ARG;
	image_free(&p->img);
	p->state = PAS_IDLE;
	return SCM_OK;
}

int pas_state(uint64_t pas_id)
{
	const struct peripheral *p = lookup(pas_id);

	return p ? (int)p->state : -EINVAL;
}

void pas_reset(void)
{
	for (unsigned i = 0; i < PAS_MAX_ID; i++)
		pas_shutdown(i);
}
