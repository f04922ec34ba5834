# -*- Python -*-
# lit configuration of the nasc test suite. Loaded from the generated
# lit.site.cfg.py in the build tree, which sets the paths used here.

import os
import shutil
import subprocess
import sys

import lit.formats

config.name = "nasc"

# The internal shell: tests only pipe, redirect and use `not`.
config.test_format = lit.formats.ShTest(execute_external=False)

# .mlir tests drive nasc-opt; .nas tests drive the nasc front end.
config.suffixes = [".mlir", ".nas", ".test"]

config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.nasc_obj_root, "test")

# Inputs/ holds files that RUN lines read, not tests.
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py",
                   "Inputs"]

# Our tools first, so a stale installed nasc-opt is never picked up.
config.environment["PATH"] = os.pathsep.join(
    [config.nasc_tools_dir, config.llvm_tools_dir,
     config.environment.get("PATH", "")])

config.substitutions.append(("%nasc_src_root", config.nasc_src_root))
config.substitutions.append(("%nasc_obj_root", config.nasc_obj_root))
config.substitutions.append(("%nasc_tools_dir", config.nasc_tools_dir))
config.substitutions.append(("%python", config.python_executable))
# Debian's Python, which has Debian's python3-onnx.
config.substitutions.append(("%system_python", "/usr/bin/python3"))

# nasc linked with the static LLVM/MLIR archives (NASC_STATIC_LLVM).
if config.nasc_static_llvm.upper() in ("ON", "1", "TRUE", "YES"):
    config.available_features.add("static-llvm")

# nasc built with the MPI executor, and mpirun to start it.
if config.nasc_have_mpi.upper() in ("ON", "1", "TRUE", "YES") and \
        shutil.which("mpirun"):
    config.available_features.add("mpi")
# More ranks than cores, and as root in containers and CI.
config.substitutions.append(
    ("%mpirun", "mpirun --oversubscribe --allow-run-as-root"))

# This CPU's flags, for tests of code built for another CPU.
try:
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("flags"):
                for flag in line.split(":", 1)[1].split():
                    if flag == "avx512_fp16":
                        config.available_features.add("host-avx512fp16")
                break
except OSError:
    pass

# The FPGA backend's simulations need Verilator (scripts/install-deps.sh
# installs it); without it those tests report UNSUPPORTED.
if shutil.which("verilator"):
    config.available_features.add("verilator")
if shutil.which("yosys") and shutil.which("nextpnr-ice40"):
    config.available_features.add("yosys")

# The GPU backend's PTX is checked with ptxas where the CUDA toolkit is.
ptxas = shutil.which("ptxas") or "/usr/local/cuda/bin/ptxas"
if os.path.exists(ptxas):
    config.available_features.add("ptxas")
else:
    ptxas = "ptxas"
config.substitutions.append(("%ptxas", ptxas))

# Emitted GPU code runs only where the driver finds a GPU. Probed in a child
# process: initializing CUDA here would leave lit holding the driver.
try:
    probe = ("import ctypes\n"
             "cuda = ctypes.CDLL('libcuda.so.1')\n"
             "count = ctypes.c_int(0)\n"
             "ok = cuda.cuInit(0) == 0 and "
             "cuda.cuDeviceGetCount(ctypes.byref(count)) == 0\n"
             "print(count.value if ok else 0)\n")
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True,
                           text=True, timeout=60)
    if found.returncode == 0 and int(found.stdout.strip() or 0) > 0:
        config.available_features.add("cuda-gpu")
except Exception:
    pass
