/*
 * SHM bridges (kernel drivers/firmware/qcom/qcom_scm.c qcom_scm_shm_bridge_create/delete, service
 * QCOM_SCM_SVC_MP): non-secure memory the secure world may reach. Under a hypervisor the
 * hypervisor makes the bridge over a remote processor's carveout when it traps auth_and_reset; a
 * Linux at EL2 makes it itself (qcom_scm_pas_prepare_and_auth_reset), and that bridge is what the
 * simulation looks for then.
 */
#include "internal.h"

#define MAX_BRIDGES 16
#define PAGE 4096u
/* qcom_tzmem_shm_bridge_create(): QCOM_SCM_PERM_RW in the address's low bits, one VM, HLOS */
#define PERM_RW 0x6u
#define NUM_VM_SHIFT 9
#define VMID_HLOS 0x3u

struct bridge {
	uint64_t handle;
	uint64_t phys;
	uint64_t size;
};

static struct bridge bridges[MAX_BRIDGES];
static unsigned nbridges;
static uint64_t last_handle;

int bridge_create(uint64_t pfn_and_ns_perm, uint64_t ipfn_and_s_perm, uint64_t size_and_flags, uint64_t ns_vmids,
		  uint64_t *handle)
{
	uint64_t phys = pfn_and_ns_perm & ~(uint64_t)(PAGE - 1);
	uint64_t size = size_and_flags & ~(uint64_t)(PAGE - 1);

	/* with no hypervisor the intermediate physical address is the physical one */
	if ((pfn_and_ns_perm & (PAGE - 1)) != PERM_RW || ipfn_and_s_perm != pfn_and_ns_perm ||
	    (size_and_flags & (PAGE - 1)) != 1u << NUM_VM_SHIFT || ns_vmids != VMID_HLOS || size == 0 ||
	    phys + size < phys)
		return SCM_EINVAL_ARG;
	if (nbridges == MAX_BRIDGES)
		return SCM_ENOMEM;
	bridges[nbridges++] = (struct bridge){ .handle = ++last_handle, .phys = phys, .size = size };
	*handle = last_handle;
	return SCM_OK;
}

int bridge_delete(uint64_t handle)
{
	for (unsigned i = 0; i < nbridges; i++) {
		if (bridges[i].handle == handle) {
			bridges[i] = bridges[--nbridges];
			return SCM_OK;
		}
	}
	return SCM_EINVAL_ARG;
}

int bridge_covers(uint64_t phys, uint64_t len)
{
	for (unsigned i = 0; i < nbridges; i++) {
		if (phys >= bridges[i].phys && phys - bridges[i].phys <= bridges[i].size &&
		    len <= bridges[i].size - (phys - bridges[i].phys))
			return 1;
	}
	return 0;
}

void bridge_reset(void)
{
	nbridges = 0;
}
