"""Installs the salescore package: pip install --no-build-isolation ./python

The native module salescore._core is built by the project's CMake (it needs the C++
core beside it), so this setup.py runs CMake for the one target `_core` and copies the
module into the wheel. SALESCORE_BUILD_DIR names an existing build tree to reuse (for
example build, where `cmake --build build --target _core` already ran), relative to the
repository root or absolute; by default it configures build-pip at the repository root
as a Release build for this Python.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


class CMakeBuild(build_ext):
    def build_extension(self, ext: Extension) -> None:
        # A relative SALESCORE_BUILD_DIR is taken from the repository root: pip runs this
        # from python/ (or a copy of it), not from where the command was typed.
        build_dir = ROOT / os.environ.get("SALESCORE_BUILD_DIR", "build-pip")
        if not (build_dir / "CMakeCache.txt").exists():
            subprocess.run(["cmake", "-S", str(ROOT), "-B", str(build_dir), "-DCMAKE_BUILD_TYPE=Release",
                            "-DSALESCORE_BUILD_BENCH=OFF", f"-DPYTHON_EXECUTABLE={sys.executable}"], check=True)
        jobs = os.environ.get("SALESCORE_BUILD_JOBS", "2")
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "_core", "-j", jobs], check=True)
        built = sorted((build_dir / "python" / "salescore").glob("_core*.so"))
        if not built:
            raise RuntimeError(f"no _core module in {build_dir}/python/salescore after the build")
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built[-1], target)


setup(
    name="salescore",
    version="0.1.0",
    description="The salescore sales engine from Python",
    packages=["salescore"],
    package_data={"salescore": ["*.pyi", "py.typed"]},
    ext_modules=[Extension("salescore._core", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    python_requires=">=3.11",
    zip_safe=False,
)
