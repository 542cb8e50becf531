// Force-included into every source of the prebuild only (binding.gyp, openblas_static): binds the
// one libstdc++ symbol whose default version is newer than GCC 11's runtime to its older, equivalent
// version, so the prebuild loads with the libstdc++ of RHEL 9, Amazon Linux 2023 and other systems
// whose glibc is new enough but whose GCC is 11 (GCC 12 only made this function noexcept).
#pragma once
__asm__(
    ".symver _ZNSt18condition_variable4waitERSt11unique_lockISt5mutexE,"
    "_ZNSt18condition_variable4waitERSt11unique_lockISt5mutexE@GLIBCXX_3.4.11");
