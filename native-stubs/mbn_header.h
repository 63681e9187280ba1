/*
 * MBN hash segment headers, generated from dev.mdtload.mbn.HeaderLayout by HeaderLayoutCHeaderTest:
 * edit the layouts, not this file. Byte offsets of little-endian u32 fields from the start of the
 * hash segment, and each version's header size.
 */
#ifndef MBN_HEADER_H
#define MBN_HEADER_H

#define MBN_VERSION_OFFSET 4

/* struct mbn_v3_header */
#define MBN_V3_SIZE 40
#define MBN_V3_IMAGE_ID 0
#define MBN_V3_VERSION 4
#define MBN_V3_IMAGE_SRC 8
#define MBN_V3_IMAGE_DEST_PTR 12
#define MBN_V3_IMAGE_SIZE 16
#define MBN_V3_HASH_TABLE_SIZE 20
#define MBN_V3_SIGNATURE_PTR 24
#define MBN_V3_SIGNATURE_SIZE 28
#define MBN_V3_CERT_CHAIN_PTR 32
#define MBN_V3_CERT_CHAIN_SIZE 36

/* struct mbn_v5_header */
#define MBN_V5_SIZE 40
#define MBN_V5_IMAGE_ID 0
#define MBN_V5_VERSION 4
#define MBN_V5_QTI_SIGNATURE_SIZE 8
#define MBN_V5_QTI_CERT_CHAIN_SIZE 12
#define MBN_V5_IMAGE_SIZE 16
#define MBN_V5_HASH_TABLE_SIZE 20
#define MBN_V5_SIGNATURE_PTR 24
#define MBN_V5_SIGNATURE_SIZE 28
#define MBN_V5_CERT_CHAIN_PTR 32
#define MBN_V5_CERT_CHAIN_SIZE 36

/* struct mbn_v6_header */
#define MBN_V6_SIZE 48
#define MBN_V6_IMAGE_ID 0
#define MBN_V6_VERSION 4
#define MBN_V6_QTI_SIGNATURE_SIZE 8
#define MBN_V6_QTI_CERT_CHAIN_SIZE 12
#define MBN_V6_IMAGE_SIZE 16
#define MBN_V6_HASH_TABLE_SIZE 20
#define MBN_V6_SIGNATURE_PTR 24
#define MBN_V6_SIGNATURE_SIZE 28
#define MBN_V6_CERT_CHAIN_PTR 32
#define MBN_V6_CERT_CHAIN_SIZE 36
#define MBN_V6_QTI_METADATA_SIZE 40
#define MBN_V6_OEM_METADATA_SIZE 44

/* struct mbn_v7_header */
#define MBN_V7_SIZE 64
#define MBN_V7_IMAGE_ID 0
#define MBN_V7_VERSION 4
#define MBN_V7_COMMON_METADATA_SIZE 8
#define MBN_V7_QTI_METADATA_SIZE 12
#define MBN_V7_OEM_METADATA_SIZE 16
#define MBN_V7_HASH_TABLE_SIZE 20
#define MBN_V7_QTI_SIGNATURE_SIZE 24
#define MBN_V7_QTI_CERT_CHAIN_SIZE 28
#define MBN_V7_SIGNATURE_SIZE 32
#define MBN_V7_CERT_CHAIN_SIZE 36
#define MBN_V7_MAJOR_VERSION 40
#define MBN_V7_MINOR_VERSION 44
#define MBN_V7_SW_ID 48
#define MBN_V7_SECONDARY_SW_ID 52
#define MBN_V7_HASH_ALGORITHM 56
#define MBN_V7_MEASUREMENT_REGISTER 60

#endif
