/*
 * libpassim: a simulated TrustZone peripheral authentication service (PAS).
 *
 * The secure world on a Qualcomm SoC is reached through an SMC instruction; here it is reached
 * through these functions, called from Java over FFM. The simulation decodes the same wire
 * forms the kernel's drivers/firmware/qcom/qcom_scm-{smc,legacy}.c produce, keeps per-peripheral
 * state, and reads "physical memory" only through the file-backed ranges it has been told about,
 * so it checks a loaded image against exactly the bytes a loader put in the carveout.
 *
 * Return values of the functions below describe the simulator itself (0, or a negative errno
 * when it could not do what was asked); the secure world's own status travels in res[0] as it
 * would in register a0.
 */
#ifndef PASSIM_H
#define PASSIM_H

#include <stdint.h>

#define PASSIM_API __attribute__((visibility("default")))

/*
 * Makes [phys, phys + size) readable by the secure world, backed by `size` bytes of the file at
 * `path` starting at `offset` (a regular file holding them, or a character device such as
 * /dev/mem, where the offset is the physical address). Ranges may not overlap. -errno from
 * open/fstat/mmap, with *failed_call naming that call ("open", "fstat", "mmap"); otherwise
 * *failed_call is NULL and the error is -EINVAL for an empty, wrapping or past-end-of-file range
 * or a file of another kind, -EEXIST for an overlap, -ENOSPC when full.
 */
PASSIM_API int sim_attach(uint64_t phys, uint64_t size, const char *path, uint64_t offset, const char **failed_call);

/*
 * One SMCCC call: a[0] function id, a[1] arginfo, a[2..5] arguments (a[5] the physical address of
 * arguments 3..9 when there are more than four), a[6..7] unused. res[0] receives the status, as
 * register a0 would (a 32-bit value for SMC32 calls), res[1..3] the results. -EFAULT for NULL.
 */
PASSIM_API int sim_smc(const uint64_t a[8], uint64_t res[4]);

/*
 * One ARMv7 legacy call: `cmd` is the command buffer (struct scm_legacy_command, its 32-bit
 * arguments and the response header and buffer after them) of `len` bytes. The response is
 * written into it; res[0] receives the status. -EFAULT for NULL.
 */
PASSIM_API int sim_legacy(void *cmd, uint32_t len, uint64_t res[4]);

/* Forgets every attached range and every peripheral's state, and zeroes the call counter. */
PASSIM_API void sim_reset(void);

/* A peripheral's state (enum pas_state in pas.h), or -EINVAL for an id the service does not have. */
PASSIM_API int sim_state(uint32_t pas_id);

/*
 * Whether the OS runs at EL2 with no hypervisor (until the next reset): auth_and_reset is then
 * refused while a mapping of the image's memory other than the secure world's own is alive in this
 * process, or while no SHM bridge covers that memory.
 */
PASSIM_API void sim_el2(int on);

/* Why the last call was refused by such a check ("carveout-mapped: ..."), or "" ; -ERANGE when it does not fit. */
PASSIM_API int sim_refusal(char *buf, uint32_t len);

/* How many calls (SMCCC or legacy) reached the secure world since the last reset. */
PASSIM_API uint64_t sim_calls(void);

/* Writes "ENAME (description)" for errno `err` into buf; -ERANGE when it does not fit. */
PASSIM_API int sim_strerror(int err, char *buf, uint32_t len);

#endif
