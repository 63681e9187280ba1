/*
 * The metadata blob PAS init_image receives (kernel qcom_mdt_read_metadata()): the ELF header and
 * program headers (segment 0's bytes) immediately followed by the hash segment. Everything the
 * secure world later needs is taken from here and kept, as the real one copies the blob into
 * secure memory: the algorithm, the digest table and where each loadable segment goes.
 *
 * Layouts: ELF32/ELF64 as in <elf.h>; MBN hash segment header versions 3, 5, 6 and 7 from
 * mbn_header.h, generated from the Java side's dev.mdtload.mbn.HeaderLayout. Signatures are not
 * checked: the simulation has no fused root of trust to check them against.
 */
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "mbn_header.h"

#define PT_LOAD 1
#define QCOM_TYPE(flags) (((flags) >> 24) & 7u)
#define QCOM_TYPE_HASH 2u
#define QCOM_RELOCATABLE (1u << 27)
#define PAGE 4096u

struct phdr {
	uint32_t type;
	uint32_t flags;
	uint64_t paddr;
	uint64_t filesz;
	uint64_t memsz;
};

/* Elf32_Phdr: p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align (u32 each).
 * Elf64_Phdr: p_type, p_flags (u32), p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align (u64). */
static struct phdr read_phdr(const uint8_t *p, int is64)
{
	if (is64)
		return (struct phdr){ rd32(p), rd32(p + 4), rd64(p + 24), rd64(p + 32), rd64(p + 40) };
	return (struct phdr){ rd32(p), rd32(p + 24), rd32(p + 12), rd32(p + 16), rd32(p + 20) };
}

static const EVP_MD *algorithm(unsigned digest_len)
{
	return digest_len == 48 ? EVP_sha384() : EVP_sha256();
}

int image_digest(const struct image *img, const uint8_t *data, uint64_t len, uint8_t *out)
{
	unsigned int n = 0;

	if (len > SIZE_MAX || EVP_Digest(data, (size_t)len, out, &n, algorithm(img->digest_len), NULL) != 1)
		return SCM_ENOMEM;
	return n == img->digest_len ? SCM_OK : SCM_ENOMEM;
}

void image_free(struct image *img)
{
	free(img->segs);
	img->segs = NULL;
	img->nsegs = 0;
}

struct hash_header {
	unsigned digest_len;
	uint64_t table_off;
	uint64_t table_len;
};

/* Where the digest table sits in the hash segment, per MBN header version (offsets: mbn_header.h). */
static int parse_hash_header(const uint8_t *hash, uint64_t len, unsigned phnum, struct hash_header *h)
{
	/* offsets of the metadata sizes; 0 (image_id's) where the version has no metadata */
	unsigned header, table_at, qti_at = 0, oem_at = 0, other;
	uint64_t qti_meta = 0, oem_meta = 0;

	if (len < MBN_VERSION_OFFSET + 4)
		return SCM_EINVAL_ARG;
	switch (rd32(hash + MBN_VERSION_OFFSET)) {
	case 3:
		header = MBN_V3_SIZE;
		table_at = MBN_V3_HASH_TABLE_SIZE;
		h->digest_len = 32;
		break;
	case 5:
		header = MBN_V5_SIZE;
		table_at = MBN_V5_HASH_TABLE_SIZE;
		h->digest_len = 32;
		break;
	case 6:
		header = MBN_V6_SIZE;
		table_at = MBN_V6_HASH_TABLE_SIZE;
		qti_at = MBN_V6_QTI_METADATA_SIZE;
		oem_at = MBN_V6_OEM_METADATA_SIZE;
		h->digest_len = 48;
		break;
	case 7:
		header = MBN_V7_SIZE;
		table_at = MBN_V7_HASH_TABLE_SIZE;
		qti_at = MBN_V7_QTI_METADATA_SIZE;
		oem_at = MBN_V7_OEM_METADATA_SIZE;
		h->digest_len = 48;
		break;
	default:
		return SCM_EINVAL_ARG;
	}
	if (len < header)
		return SCM_EINVAL_ARG;
	if (qti_at) {
		qti_meta = rd32(hash + qti_at);
		oem_meta = rd32(hash + oem_at);
	}
	/* u32 sizes: these sums cannot wrap a u64 */
	h->table_off = header + qti_meta + oem_meta;
	h->table_len = rd32(hash + table_at);
	/* As mdtload's validator: a table of exactly one digest of the other size per header holds
	 * that algorithm (SecTools signs v6 with SHA-256 when asked: qca/msbtfw11.mbn). */
	other = h->digest_len == 48 ? 32 : 48;
	if (phnum > 0 && h->table_len == (uint64_t)phnum * other)
		h->digest_len = other;
	if (h->table_len != (uint64_t)phnum * h->digest_len || h->table_off + h->table_len > len)
		return SCM_EINVAL_ARG;
	return SCM_OK;
}

static int is_loadable(const struct phdr *p)
{
	return p->type == PT_LOAD && QCOM_TYPE(p->flags) != QCOM_TYPE_HASH && p->memsz != 0;
}

static int collect_segments(const struct phdr *ph, unsigned phnum, int is64, const uint8_t *table,
			    struct image *img)
{
	uint64_t limit = is64 ? UINT64_MAX : UINT32_MAX;
	uint64_t end = 0;

	img->segs = calloc(phnum, sizeof(*img->segs));
	if (!img->segs)
		return SCM_ENOMEM;
	img->min_paddr = UINT64_MAX;
	for (unsigned i = 0; i < phnum; i++) {
		const struct phdr *p = &ph[i];
		struct load_segment *s;

		if (!is_loadable(p))
			continue;
		/* kernel: p_filesz > p_memsz let a header write past the region (2021 fix) */
		if (p->filesz > p->memsz || p->memsz > limit - p->paddr || p->paddr + p->memsz > limit - PAGE)
			return SCM_EINVAL_ARG;
		s = &img->segs[img->nsegs++];
		s->index = i;
		s->paddr = p->paddr;
		s->filesz = p->filesz;
		s->memsz = p->memsz;
		memcpy(s->digest, table + (uint64_t)i * img->digest_len, img->digest_len);
		img->relocatable |= (p->flags & QCOM_RELOCATABLE) != 0;
		if (p->paddr < img->min_paddr)
			img->min_paddr = p->paddr;
		if (p->paddr + p->memsz > end)
			end = p->paddr + p->memsz;
	}
	if (img->nsegs == 0)
		return SCM_EINVAL_ARG;
	img->load_size = ((end + PAGE - 1) & ~(uint64_t)(PAGE - 1)) - img->min_paddr;
	return SCM_OK;
}

static int parse(const uint8_t *blob, uint64_t avail, struct phdr *ph, unsigned phnum, int is64,
		 uint64_t phoff, struct image *img)
{
	unsigned phentsize = is64 ? 56 : 32, hash_index = 0;
	uint64_t header_len, hash_len;
	const uint8_t *hash;
	struct hash_header h;
	uint8_t digest[DIGEST_MAX];
	int status;

	for (unsigned i = 0; i < phnum; i++) {
		ph[i] = read_phdr(blob + phoff + (uint64_t)i * phentsize, is64);
		if (QCOM_TYPE(ph[i].flags) == QCOM_TYPE_HASH) {
			if (hash_index != 0)
				return SCM_EINVAL_ARG; /* two hash segments: which one is authoritative? */
			hash_index = i;
		}
	}
	/* kernel qcom_mdt_read_metadata(): >= 2 headers, segment 0 not PT_LOAD, hash segment after it */
	header_len = ph[0].filesz;
	if (ph[0].type == PT_LOAD || hash_index == 0 || header_len < phoff + (uint64_t)phnum * phentsize ||
	    header_len > avail)
		return SCM_EINVAL_ARG;
	hash = blob + header_len;
	hash_len = ph[hash_index].filesz;
	if (hash_len > avail - header_len)
		return SCM_EINVAL_ARG;
	status = parse_hash_header(hash, hash_len, phnum, &h);
	if (status)
		return status;
	img->digest_len = h.digest_len;
	/* digest 0 covers the headers themselves: a changed load address is an authentication failure */
	status = image_digest(img, blob, header_len, digest);
	if (status)
		return status;
	if (memcmp(digest, hash + h.table_off, h.digest_len) != 0)
		return SCM_ERROR;
	return collect_segments(ph, phnum, is64, hash + h.table_off, img);
}

int metadata_parse(const uint8_t *blob, uint64_t avail, struct image *img)
{
	static const uint8_t magic[4] = { 0x7f, 'E', 'L', 'F' };
	struct phdr *ph;
	unsigned phnum;
	uint64_t phoff;
	int is64, status;

	memset(img, 0, sizeof(*img));
	if (avail < 52 || memcmp(blob, magic, 4) != 0 || (blob[4] != 1 && blob[4] != 2) || blob[5] != 1)
		return SCM_EINVAL_ARG;
	is64 = blob[4] == 2;
	if (is64 && avail < 64)
		return SCM_EINVAL_ARG;
	phoff = is64 ? rd64(blob + 32) : rd32(blob + 28);
	phnum = rd16(blob + (is64 ? 56 : 44));
	if (rd16(blob + (is64 ? 54 : 42)) != (is64 ? 56u : 32u) || phnum < 2 || phoff > avail ||
	    (uint64_t)phnum * (is64 ? 56 : 32) > avail - phoff)
		return SCM_EINVAL_ARG;
	ph = calloc(phnum, sizeof(*ph));
	if (!ph)
		return SCM_ENOMEM;
	status = parse(blob, avail, ph, phnum, is64, phoff, img);
	free(ph);
	if (status)
		image_free(img);
	return status;
}
