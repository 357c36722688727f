/*
 * Looks a field up in HotSpot's gHotSpotVMStructs, the table that the
 * serviceability agent reads (src/hotspot/share/runtime/vmStructs.cpp).
 *
 * The layout of the table's entries is itself exported as numbers
 * (gHotSpotVMStructEntry*Offset, ...ArrayStride), so no struct layout is
 * assumed here. The tables are static data in libjvm's own image, mapped for
 * the life of the process, and exported for exactly this kind of reader,
 * which is why they are read directly: this is the only VM memory read in
 * carrierid that is not checked with a fault-safe read first.
 *
 * A field is looked up in the named type and then in its supertypes (from
 * gHotSpotVMTypes), because fields move up the hierarchy between releases:
 * _osthread moved from JavaThread to Thread between JDK 21 and 25.
 */
#define _GNU_SOURCE
#include "vm_structs.h"

#include <dlfcn.h>
#include <stdint.h>
#include <string.h>

#include "io_carrierid_Native.h"

/* How to walk one of the two exported arrays: its base and where each column sits. */
typedef struct {
    const char *base;
    uint64_t stride;
    uint64_t name_at;   /* typeName in both tables */
    uint64_t second_at; /* fieldName (VMStructs) or superclassName (VMTypes) */
    uint64_t static_at; /* isStatic (VMStructs only) */
    uint64_t offset_at; /* offset (VMStructs only) */
} table;

static const uint64_t *symbol(void *jvm, const char *name) {
    return (const uint64_t *) dlsym(jvm, name);
}

static int open_tables(void *jvm, table *fields, table *types) {
    const uint64_t *fbase = symbol(jvm, "gHotSpotVMStructs");
    const uint64_t *fstride = symbol(jvm, "gHotSpotVMStructEntryArrayStride");
    const uint64_t *ftype = symbol(jvm, "gHotSpotVMStructEntryTypeNameOffset");
    const uint64_t *ffield = symbol(jvm, "gHotSpotVMStructEntryFieldNameOffset");
    const uint64_t *fstatic = symbol(jvm, "gHotSpotVMStructEntryIsStaticOffset");
    const uint64_t *foffset = symbol(jvm, "gHotSpotVMStructEntryOffsetOffset");
    const uint64_t *tbase = symbol(jvm, "gHotSpotVMTypes");
    const uint64_t *tstride = symbol(jvm, "gHotSpotVMTypeEntryArrayStride");
    const uint64_t *ttype = symbol(jvm, "gHotSpotVMTypeEntryTypeNameOffset");
    const uint64_t *tsuper = symbol(jvm, "gHotSpotVMTypeEntrySuperclassNameOffset");
    if (!fbase || !fstride || !ftype || !ffield || !fstatic || !foffset
        || !tbase || !tstride || !ttype || !tsuper || *fbase == 0 || *tbase == 0) {
        return -1;
    }
    *fields = (table) { (const char *) (uintptr_t) *fbase, *fstride, *ftype, *ffield, *fstatic, *foffset };
    *types = (table) { (const char *) (uintptr_t) *tbase, *tstride, *ttype, *tsuper, 0, 0 };
    return 0;
}

static const char *column_string(const char *entry, uint64_t at) {
    const char *value;
    memcpy(&value, entry + at, sizeof value);
    return value;
}

/* The offset of a non-static field declared in exactly this type, or NO_FIELD. */
static long long field_in(const table *fields, const char *type, const char *field) {
    for (const char *e = fields->base;; e += fields->stride) {
        const char *type_name = column_string(e, fields->name_at);
        if (type_name == NULL) {
            return CARRIERID_VMSTRUCTS_NO_FIELD; /* the array ends at a NULL type name */
        }
        const char *field_name = column_string(e, fields->second_at);
        int32_t is_static;
        memcpy(&is_static, e + fields->static_at, sizeof is_static);
        if (!is_static && field_name != NULL
            && strcmp(type_name, type) == 0 && strcmp(field_name, field) == 0) {
            uint64_t offset;
            memcpy(&offset, e + fields->offset_at, sizeof offset);
            return (long long) offset;
        }
    }
}

/* The supertype's name, or NULL for a root type or one the table does not know. */
static const char *supertype_of(const table *types, const char *type) {
    for (const char *e = types->base;; e += types->stride) {
        const char *type_name = column_string(e, types->name_at);
        if (type_name == NULL) {
            return NULL;
        }
        if (strcmp(type_name, type) == 0) {
            return column_string(e, types->second_at);
        }
    }
}

/* libjvm's handle, found from a JNI function it implements, so it works whether or not it was loaded RTLD_GLOBAL. */
static void *open_jvm(JNIEnv *env) {
    Dl_info info;
    if (dladdr((void *) (*env)->GetVersion, &info) == 0 || info.dli_fname == NULL) {
        return NULL;
    }
    return dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD);
}

static long long lookup(JNIEnv *env, const char *type, const char *field) {
    void *jvm = open_jvm(env);
    if (jvm == NULL) {
        return CARRIERID_VMSTRUCTS_NO_TABLE;
    }
    table fields, types;
    long long result = CARRIERID_VMSTRUCTS_NO_TABLE;
    if (open_tables(jvm, &fields, &types) == 0) {
        result = CARRIERID_VMSTRUCTS_NO_FIELD;
        /* Depth bound: HotSpot's thread hierarchy is 3-4 deep; 16 guards against a cyclic table. */
        for (int depth = 0; type != NULL && depth < 16; depth++) {
            result = field_in(&fields, type, field);
            if (result >= 0) {
                break;
            }
            type = supertype_of(&types, type);
        }
    }
    dlclose(jvm); /* balances the reference RTLD_NOLOAD took; libjvm stays loaded */
    return result;
}

JNIEXPORT jlong JNICALL Java_io_carrierid_Native_vmStructsField(JNIEnv *env, jclass cls, jstring type, jstring field) {
    (void) cls;
    const char *type_chars = (*env)->GetStringUTFChars(env, type, NULL);
    const char *field_chars = type_chars ? (*env)->GetStringUTFChars(env, field, NULL) : NULL;
    jlong result = CARRIERID_VMSTRUCTS_NO_FIELD;
    if (type_chars && field_chars) {
        result = (jlong) lookup(env, type_chars, field_chars);
    }
    if (field_chars) {
        (*env)->ReleaseStringUTFChars(env, field, field_chars);
    }
    if (type_chars) {
        (*env)->ReleaseStringUTFChars(env, type, type_chars);
    }
    return result;
}
