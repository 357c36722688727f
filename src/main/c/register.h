/* Binds libcarrierid's native methods to the Native class of whichever package its Java side has. */
#ifndef CARRIERID_REGISTER_H
#define CARRIERID_REGISTER_H

#include <jni.h>

/*
 * Called from JNI_OnLoad. The Java side loads the library from a file named
 * libcarrierid+<package>.so (NativeLibrary.java), <package> being the one its
 * classes have at run time: io.carrierid, or wherever a shading plugin
 * relocated them. The methods are registered on <package>.Native with
 * RegisterNatives, so a relocated copy works without Java_io_carrierid_* names.
 * A file named otherwise means io.carrierid. 0 on success.
 */
int carrierid_register_natives(JNIEnv *env);

#endif
