/*
 * Field offsets from HotSpot's exported serviceability tables (gHotSpotVMStructs):
 * Native.vmStructsFields. Its results besides an offset (VMSTRUCTS_NO_FIELD,
 * VMSTRUCTS_NO_TABLE) are declared once, in Native.java.
 */
#ifndef CARRIERID_VM_STRUCTS_H
#define CARRIERID_VM_STRUCTS_H

#endif
