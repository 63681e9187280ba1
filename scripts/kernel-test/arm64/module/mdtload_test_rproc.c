// SPDX-License-Identifier: GPL-2.0
/*
 * Test fixture of mdtload's kernel-loader test (scripts/kernel-test/arm64): a remote processor
 * that does nothing but let the running kernel's own MDT loader place an image into a reserved
 * region, so that the host can compare those bytes, and the kernel's verdict, with mdtload's.
 *
 * One platform device per test image: compatible "mdtload,test-rproc", a "memory-region"
 * phandle to a no-map reserved-memory region, and "mdtload,name" naming its remoteproc.
 * Writing "start" to the remoteproc's sysfs state calls .load below, which zeroes the whole
 * region (so bytes the loader leaves alone read as zero on the host, as in a fresh carveout
 * file) and calls qcom_mdt_load_no_init(): the PAS-less path, so no secure world is needed.
 * GPL because that symbol is exported GPL-only.
 */
#include <linux/io.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_reserved_mem.h>
#include <linux/platform_device.h>
#include <linux/remoteproc.h>
#include <linux/soc/qcom/mdt_loader.h>

struct test_rproc {
	struct device *dev;
	void *mem;
	phys_addr_t phys;
	size_t size;
};

static int test_rproc_start(struct rproc *rproc)
{
	return 0;
}

static int test_rproc_stop(struct rproc *rproc)
{
	return 0;
}

static int test_rproc_load(struct rproc *rproc, const struct firmware *fw)
{
	struct test_rproc *t = rproc->priv;
	phys_addr_t reloc_base = 0;
	int ret;

	memset(t->mem, 0, t->size);
#ifdef MDTLOAD_NO_INIT_HAS_PAS_ID
	ret = qcom_mdt_load_no_init(t->dev, fw, rproc->firmware, 0, t->mem, t->phys, t->size,
				    &reloc_base);
#else
	ret = qcom_mdt_load_no_init(t->dev, fw, rproc->firmware, t->mem, t->phys, t->size,
				    &reloc_base);
#endif
	/* The one line the guest script reads: the loader's own return value. */
	dev_info(t->dev, "mdtload-test: %s: result %d reloc_base %pa\n", rproc->name, ret,
		 &reloc_base);
	return ret;
}

static const struct rproc_ops test_rproc_ops = {
	.start = test_rproc_start,
	.stop = test_rproc_stop,
	.load = test_rproc_load,
};

static int test_rproc_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct device_node *region;
	struct reserved_mem *rmem;
	struct test_rproc *t;
	struct rproc *rproc;
	const char *name;

	if (of_property_read_string(dev->of_node, "mdtload,name", &name))
		return dev_err_probe(dev, -EINVAL, "no mdtload,name\n");
	region = of_parse_phandle(dev->of_node, "memory-region", 0);
	if (!region)
		return dev_err_probe(dev, -EINVAL, "no memory-region\n");
	rmem = of_reserved_mem_lookup(region);
	of_node_put(region);
	if (!rmem)
		return dev_err_probe(dev, -EINVAL, "memory-region is not reserved memory\n");

	rproc = devm_rproc_alloc(dev, name, &test_rproc_ops, NULL, sizeof(*t));
	if (!rproc)
		return -ENOMEM;
	rproc->auto_boot = false;
	t = rproc->priv;
	t->dev = dev;
	t->phys = rmem->base;
	t->size = rmem->size;
	/* A no-map region is outside the linear map: memremap gives it a write-combined mapping. */
	t->mem = devm_memremap(dev, t->phys, t->size, MEMREMAP_WC);
	if (IS_ERR(t->mem))
		return dev_err_probe(dev, PTR_ERR(t->mem), "cannot map %pa\n", &t->phys);
	return devm_rproc_add(dev, rproc);
}

static const struct of_device_id test_rproc_of_match[] = {
	{ .compatible = "mdtload,test-rproc" },
	{}
};
MODULE_DEVICE_TABLE(of, test_rproc_of_match);

static struct platform_driver test_rproc_driver = {
	.probe = test_rproc_probe,
	.driver = {
		.name = "mdtload-test-rproc",
		.of_match_table = test_rproc_of_match,
	},
};
module_platform_driver(test_rproc_driver);

MODULE_DESCRIPTION("mdtload kernel-loader test fixture: a remoteproc that only runs the MDT loader");
MODULE_LICENSE("GPL");
