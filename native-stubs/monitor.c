/*
 * The secure monitor's front door: decodes a call exactly as the secure world receives it (SMCCC
 * registers, or an ARMv7 legacy command buffer), refuses what it does not know, and dispatches to
 * the PAS service. One lock, because the simulated secure world is one per process as the real
 * one is one per machine.
 *
 * Encodings: include/linux/arm-smccc.h (function id) and drivers/firmware/qcom/qcom_scm.h,
 * qcom_scm-smc.c, qcom_scm-legacy.c (arginfo, registers, command buffer).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "passim.h"

/* function id: type << 31 | convention << 30 | owner << 24 | function number */
#define SMCCC_SMC64 (1ull << 30)
#define SMCCC_OWNER(fid) (((fid) >> 24) & 0x3f)
#define SMCCC_OWNER_SIP 2u
#define SMCCC_RESERVED(fid) (((fid) >> 16) & 0xff)

#define MAX_ARGS 10
#define MAX_RETS 3

#define SVC_PIL 0x02u
#define PAS_INIT_IMAGE 0x01u
#define PAS_MEM_SETUP 0x02u
#define PAS_AUTH_AND_RESET 0x05u
#define PAS_SHUTDOWN 0x06u
#define PAS_IS_SUPPORTED 0x07u
#define PAS_GET_RSCTABLE 0x21u
#define SVC_INFO 0x06u
#define INFO_IS_CALL_AVAIL 0x01u
#define SVC_MP 0x0cu
#define MP_SHM_BRIDGE_DELETE 0x1du
#define MP_SHM_BRIDGE_CREATE 0x1eu

/* arginfo: argument count in bits 3..0, then two bits per argument from bit 4 */
enum arg_type { VAL = 0, RO = 1, RW = 2 };
#define ARGINFO(n, t0, t1) ((n) | (t0) << 4 | (t1) << 6)
#define ARG(i, t) ((t) << (4 + 2 * (i)))
/* registers a2..a5 carry four arguments; past four, a5 is the address of arguments 3..9 */
#define REG_ARGS 4u
#define FIRST_EXT_ARG 3u
#define EXT_ARGS (MAX_ARGS - FIRST_EXT_ARG)

/* struct scm_legacy_command is 4 u32s, struct scm_legacy_response 3; MAX_RETS u32 results */
#define LEGACY_CMD_HDR 16u
#define LEGACY_RSP_HDR 12u

struct call {
	uint32_t svc;
	uint32_t cmd;
	uint64_t args[MAX_ARGS];
	int legacy;
	uint64_t res[MAX_RETS];
};

static int run_init_image(struct call *c)
{
	return pas_init_image(c->args[0], c->args[1]);
}

static int run_mem_setup(struct call *c)
{
	return pas_mem_setup(c->args[0], c->args[1], c->args[2]);
}

static int run_auth_and_reset(struct call *c)
{
	return pas_auth_and_reset(c->args[0]);
}

static int run_shutdown(struct call *c)
{
	return pas_shutdown(c->args[0]);
}

static int run_is_supported(struct call *c)
{
	return pas_is_supported(c->args[0], &c->res[0]);
}

static int run_get_rsc_table(struct call *c)
{
	/* qcom_scm.c reads the response code from result[1] and the table's size from result[2] */
	return pas_get_rsc_table(c->args[0], c->args[1], c->args[2], c->args[3], c->args[4], &c->res[1], &c->res[2]);
}

static int run_shm_bridge_create(struct call *c)
{
	/* the handle comes back in result[1] (qcom_scm_shm_bridge_create) */
	return bridge_create(c->args[0], c->args[1], c->args[2], c->args[3], &c->res[1]);
}

static int run_shm_bridge_delete(struct call *c)
{
	return bridge_delete(c->args[0]);
}

static int run_is_call_avail(struct call *c);

struct command {
	uint32_t svc;
	uint32_t cmd;
	uint32_t arginfo; /* exactly what the kernel sends for this call */
	int (*run)(struct call *c);
};

static const struct command commands[] = {
	{ SVC_PIL, PAS_INIT_IMAGE, ARGINFO(2, VAL, RW), run_init_image },
	{ SVC_PIL, PAS_MEM_SETUP, ARGINFO(3, VAL, VAL), run_mem_setup },
	{ SVC_PIL, PAS_AUTH_AND_RESET, ARGINFO(1, VAL, 0), run_auth_and_reset },
	{ SVC_PIL, PAS_SHUTDOWN, ARGINFO(1, VAL, 0), run_shutdown },
	{ SVC_PIL, PAS_IS_SUPPORTED, ARGINFO(1, VAL, 0), run_is_supported },
	{ SVC_INFO, INFO_IS_CALL_AVAIL, ARGINFO(1, VAL, 0), run_is_call_avail },
	{ SVC_PIL, PAS_GET_RSCTABLE, 5 | ARG(0, VAL) | ARG(1, RO) | ARG(2, VAL) | ARG(3, RW) | ARG(4, VAL),
	  run_get_rsc_table },
	{ SVC_MP, MP_SHM_BRIDGE_CREATE, 4 | ARG(0, VAL) | ARG(1, VAL) | ARG(2, VAL) | ARG(3, VAL), run_shm_bridge_create },
	{ SVC_MP, MP_SHM_BRIDGE_DELETE, ARGINFO(1, VAL, 0), run_shm_bridge_delete },
};

static const struct command *find_command(uint32_t svc, uint32_t cmd)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (commands[i].svc == svc && commands[i].cmd == cmd)
			return &commands[i];
	}
	return NULL;
}

/* The argument names a call the way its caller's convention does (kernel __qcom_scm_is_call_available). */
static int run_is_call_avail(struct call *c)
{
	uint64_t id = c->args[0];

	if (c->legacy)
		c->res[0] = find_command((uint32_t)(id >> 10), (uint32_t)(id & 0x3ff)) != NULL;
	else
		c->res[0] = (id >> 30) == 0 && SMCCC_OWNER(id) == SMCCC_OWNER_SIP && SMCCC_RESERVED(id) == 0 &&
			    find_command((uint32_t)(id >> 8) & 0xff, (uint32_t)id & 0xff) != NULL;
	return SCM_OK;
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t calls;
static char refusal[512];

void refuse(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(refusal, sizeof(refusal), fmt, ap);
	va_end(ap);
}

static int smc(const uint64_t in[8], struct call *c)
{
	uint64_t a[8];
	const struct command *command;
	uint32_t nargs;

	memcpy(a, in, sizeof(a));
	/* an SMC32 call sees only the low halves of the registers (W0..W7) */
	if (!(a[0] & SMCCC_SMC64)) {
		for (int i = 0; i < 8; i++)
			a[i] &= UINT32_MAX;
	}
	if ((a[0] >> 32) != 0 || SMCCC_OWNER(a[0]) != SMCCC_OWNER_SIP || SMCCC_RESERVED(a[0]) != 0)
		return SCM_EOPNOTSUPP;
	c->svc = (uint32_t)(a[0] >> 8) & 0xff;
	c->cmd = (uint32_t)a[0] & 0xff;
	command = find_command(c->svc, c->cmd);
	if (!command)
		return SCM_EOPNOTSUPP;
	/* count and every argument's type must be what the call takes */
	if (a[1] != command->arginfo)
		return SCM_EINVAL_ARG;
	nargs = command->arginfo & 0xf;
	for (uint32_t i = 0; i < nargs && i < REG_ARGS; i++)
		c->args[i] = a[2 + i];
	if (nargs > REG_ARGS) {
		/* qcom_scm-smc.c: little-endian u64 entries for SMC64, u32 for SMC32 */
		uint64_t width = (a[0] & SMCCC_SMC64) ? 8 : 4;
		const uint8_t *ext = phys_span(a[2 + FIRST_EXT_ARG], EXT_ARGS * width);

		if (!ext)
			return SCM_EINVAL_ADDR;
		for (uint32_t i = FIRST_EXT_ARG; i < nargs; i++)
			c->args[i] = width == 8 ? rd64(ext + 8 * (i - FIRST_EXT_ARG)) : rd32(ext + 4 * (i - FIRST_EXT_ARG));
	}
	return command->run(c);
}

PASSIM_API int sim_smc(const uint64_t a[8], uint64_t res[4])
{
	struct call c = { 0 };
	int status;

	if (!a || !res)
		return -EFAULT;
	pthread_mutex_lock(&lock);
	calls++;
	refusal[0] = '\0';
	status = smc(a, &c);
	pthread_mutex_unlock(&lock);
	/* a negative status in a 64-bit register is sign-extended; in a 32-bit one it is not */
	res[0] = (a[0] & SMCCC_SMC64) ? (uint64_t)(int64_t)status : (uint32_t)status;
	memcpy(&res[1], c.res, sizeof(c.res));
	return 0;
}

/*
 * struct scm_legacy_command { le32 len, buf_offset, resp_hdr_offset, id; le32 buf[]; } with id =
 * svc << 10 | cmd, the arguments between buf_offset and resp_hdr_offset, and at resp_hdr_offset
 * struct scm_legacy_response { le32 len, buf_offset, is_complete; } followed by the results.
 */
static int legacy(uint8_t *b, uint32_t len, struct call *c)
{
	uint32_t total, args_at, rsp_at, id, nargs;
	const struct command *command;
	uint8_t *rsp;
	int status;

	if (len < LEGACY_CMD_HDR)
		return SCM_EINVAL_ARG;
	total = rd32(b);
	args_at = rd32(b + 4);
	rsp_at = rd32(b + 8);
	id = rd32(b + 12);
	if (total > len || args_at < LEGACY_CMD_HDR || rsp_at < args_at || (rsp_at - args_at) % 4 != 0 ||
	    rsp_at > total || total - rsp_at < LEGACY_RSP_HDR + MAX_RETS * 4)
		return SCM_EINVAL_ARG;
	nargs = (rsp_at - args_at) / 4;
	c->svc = id >> 10;
	c->cmd = id & 0x3ff;
	c->legacy = 1;
	command = find_command(c->svc, c->cmd);
	if (!command)
		return SCM_EOPNOTSUPP;
	if (nargs != (command->arginfo & 0xf))
		return SCM_EINVAL_ARG;
	for (uint32_t i = 0; i < nargs; i++)
		c->args[i] = rd32(b + args_at + 4 * i);
	status = command->run(c);
	if (status != SCM_OK)
		return status; /* the kernel reads no response after a non-zero a0 */
	rsp = b + rsp_at;
	wr32(rsp, total - rsp_at);
	wr32(rsp + 4, LEGACY_RSP_HDR);
	for (int i = 0; i < MAX_RETS; i++)
		wr32(rsp + LEGACY_RSP_HDR + 4 * i, (uint32_t)c->res[i]);
	/* last, as the kernel polls it to know the results are there */
	wr32(rsp + 8, 1);
	return SCM_OK;
}

PASSIM_API int sim_legacy(void *cmd, uint32_t len, uint64_t res[4])
{
	struct call c = { 0 };
	int status;

	if (!cmd || !res)
		return -EFAULT;
	pthread_mutex_lock(&lock);
	calls++;
	refusal[0] = '\0';
	status = legacy(cmd, len, &c);
	pthread_mutex_unlock(&lock);
	res[0] = (uint32_t)status;
	res[1] = res[2] = res[3] = 0;
	return 0;
}

PASSIM_API int sim_attach(uint64_t phys, uint64_t size, const char *path, uint64_t offset, const char **failed_call)
{
	int err;

	if (!path || !failed_call)
		return -EFAULT;
	pthread_mutex_lock(&lock);
	err = phys_attach(phys, size, path, offset, failed_call);
	pthread_mutex_unlock(&lock);
	return err;
}

PASSIM_API void sim_reset(void)
{
	pthread_mutex_lock(&lock);
	pas_reset();
	phys_reset();
	bridge_reset();
	pas_set_el2(0);
	refusal[0] = '\0';
	calls = 0;
	pthread_mutex_unlock(&lock);
}

PASSIM_API int sim_state(uint32_t pas_id)
{
	int state;

	pthread_mutex_lock(&lock);
	state = pas_state(pas_id);
	pthread_mutex_unlock(&lock);
	return state;
}

PASSIM_API void sim_el2(int on)
{
	pthread_mutex_lock(&lock);
	pas_set_el2(on);
	pthread_mutex_unlock(&lock);
}

PASSIM_API int sim_refusal(char *buf, uint32_t len)
{
	int n;

	if (!buf)
		return -EFAULT;
	pthread_mutex_lock(&lock);
	n = snprintf(buf, len, "%s", refusal);
	pthread_mutex_unlock(&lock);
	return n < 0 || (uint32_t)n >= len ? -ERANGE : 0;
}

PASSIM_API uint64_t sim_calls(void)
{
	uint64_t n;

	pthread_mutex_lock(&lock);
	n = calls;
	pthread_mutex_unlock(&lock);
	return n;
}

PASSIM_API int sim_strerror(int err, char *buf, uint32_t len)
{
	const char *name = strerrorname_np(err);
	const char *desc = strerrordesc_np(err);
	int n;

	if (!buf)
		return -EFAULT;
	n = snprintf(buf, len, "%s (%s)", name ? name : "errno", desc ? desc : "unknown error");
	return n < 0 || (uint32_t)n >= len ? -ERANGE : 0;
}
