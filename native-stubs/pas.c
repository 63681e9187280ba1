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
/* struct resource_table (include/linux/rsc_table.h): u32 ver, u32 num, u32 reserved[2], u32 offset[num] */
#define RSC_HEADER 16u
#define RSC_VERSION 1u
/* qcom_scm.c enum qcom_scm_rsctable_resp_type */
#define RSCTABLE_BUFFER_NOT_SUFFICIENT 20u

struct peripheral {
	enum pas_state state;
	struct image img;
	uint64_t region_base; /* from mem_setup */
	uint64_t region_size;
};

static struct peripheral peripherals[PAS_MAX_ID];
static int el2;

void pas_set_el2(int on)
{
	el2 = on;
}

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
		if (!phys_is_zero(addr + s->filesz, s->memsz - s->filesz))
			return SCM_ERROR;
	}
	return SCM_OK;
}

/*
 * What a hypervisor would have done before passing auth_and_reset on, done by the OS itself at EL2
 * ("remoteproc: qcom: pas: Map/unmap subsystem region before auth_and_reset" and
 * qcom_scm_pas_prepare_and_auth_reset()): no CPU mapping of the image's memory is left, so no
 * speculative access can reach it (an XPU violation once the remote processor owns it), and an
 * SHM bridge lets the secure world reach it. Nothing is changed when it refuses.
 */
static int guard_el2(const struct peripheral *p)
{
	uint64_t lo = UINT64_MAX, hi = 0;

	for (unsigned i = 0; i < p->img.nsegs; i++) {
		uint64_t at = placed(p, &p->img.segs[i]);

		if (at < lo)
			lo = at;
		if (at + p->img.segs[i].memsz > hi)
			hi = at + p->img.segs[i].memsz;
	}
	if (lo >= hi)
		return SCM_OK;
	if (phys_cpu_mapped(lo, hi - lo)) {
		refuse("carveout-mapped: the loader still maps 0x%llx..0x%llx; a speculative CPU access to memory the "
		       "remote processor owns is an XPU violation: unmap it before auth_and_reset",
		       (unsigned long long)lo, (unsigned long long)hi);
		return SCM_ERROR;
	}
	if (!bridge_covers(lo, hi - lo)) {
		refuse("shm-bridge-missing: no SHM bridge covers 0x%llx..0x%llx; with no hypervisor the secure world "
		       "reaches non-secure memory only through one",
		       (unsigned long long)lo, (unsigned long long)hi);
		return SCM_EINVAL_ADDR;
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
	if (el2) {
		status = guard_el2(p);
		if (status)
			return status;
	}
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

/*
 * The firmware's resource table in, the secure world's answer out (qcom_scm_pas_get_rsc_table()).
 * The simulation has no dynamic resources to add: it answers the table it was given, as version 1.
 */
int pas_get_rsc_table(uint64_t pas_id, uint64_t in, uint64_t in_size, uint64_t out, uint64_t out_size,
		      uint64_t *response, uint64_t *size)
{
	const uint8_t *table = phys_span(in, in_size);
	uint8_t *answer;

	if (!lookup(pas_id))
		return SCM_EINVAL_ARG;
	if (!table || in_size < RSC_HEADER)
		return SCM_EINVAL_ADDR;
	if (rd32(table + 4) > (in_size - RSC_HEADER) / 4)
		return SCM_EINVAL_ARG;
	/* whether it fits or not, the size it needs is in result[2] */
	*size = in_size;
	if (out_size < in_size) {
		*response = RSCTABLE_BUFFER_NOT_SUFFICIENT;
		return SCM_EINVAL_ARG;
	}
	answer = phys_span_writable(out, in_size);
	if (!answer)
		return SCM_EINVAL_ADDR;
	memcpy(answer, table, in_size);
	wr32(answer, RSC_VERSION);
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
