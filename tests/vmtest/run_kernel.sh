#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Boot VMLINUX (uncompressed: PVH entry) with INITRAMFS under qemu TCG, print the serial
# console, and exit with the guest payload's status.  Never KVM: on this machine kind /dev/kvm
# is a kvm_pvm module on a CPU without vmx/svm, where a guest never boots (VMTEST.md).
# Exit: the payload's status; 124 on a timeout; 125 when the VM ended without a status.
# Usage: run_kernel.sh VMLINUX INITRAMFS [TIMEOUT_S]
set -uo pipefail
vmlinux=$1 initrd=$2 limit=${3:-120}
timeout "$limit" qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 1G -kernel "$vmlinux" \
	-initrd "$initrd" -append 'console=ttyS0 panic=-1 quiet loglevel=3' -serial stdio \
	-display none -monitor none -no-reboot -nodefaults \
	-device isa-debug-exit,iobase=0xf4,iosize=4 </dev/null |
	sed -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g' -e 's/\x1bc//g' -e 's/\r$//'
rc=${PIPESTATUS[0]}
if [ "$rc" = 124 ]; then
	echo "vmtest: timeout after ${limit}s"
	exit 124
fi
# isa-debug-exit: qemu exits with 2*CODE+1; a plain 0 means the VM ended another way
if [ $((rc % 2)) = 1 ]; then
	exit $(((rc - 1) / 2))
fi
echo "vmtest: the VM ended without a payload status (qemu exit $rc)"
exit 125
