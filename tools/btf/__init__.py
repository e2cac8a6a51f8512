# SPDX-License-Identifier: GPL-2.0
"""Helpers of tools/nvme-btf-types (see docs/btf-types.md)."""
