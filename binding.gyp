{
  "targets": [
    {
      "target_name": "blasnet",
      "sources": [
        "native/addon.cc",
        "native/checks.cc",
        "native/kernels_activation.cc",
        "native/kernels_dropout.cc",
        "native/kernels_elementwise.cc",
        "native/kernels_loss.cc",
        "native/kernels_matrix.cc",
        "native/kernels_norm.cc",
        "native/kernels_optim.cc",
        "native/kernels_softmax.cc",
        "native/pool.cc"
      ],
      "variables": {
        "openblas_static%": ""
      },
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "/usr/include/openblas"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++14"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-O3", "-ffp-contract=off", "-fno-math-errno", "-fno-trapping-math",
                    "-fvisibility=hidden", "-Wall", "-Wextra"],
      "conditions": [
        ["target_arch == 'x64'", { "cflags_cc": ["-march=x86-64-v2", "-mtune=generic"] }],
        ["openblas_static == ''",
          { "libraries": ["-lopenblas", "-lpthread"] },
          { "libraries": ["<(openblas_static)", "-lpthread"], "ldflags": ["-Wl,--exclude-libs,ALL"],
            "cflags_cc": ["-include", "<(module_root_dir)/native/prebuild_compat.h"] }]
      ]
    }
  ]
}
