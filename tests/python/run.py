#!/usr/bin/env python3
"""Runs the Python tests with pytest; exits 77 (skipped) when pytest is not installed.
(The guard matters: Dask's worker processes start by importing __main__.)"""
import os
import sys


def main():
    try:
        import pytest
    except ImportError:
        print("skipped: python3-pytest is not installed")
        return 77
    here = os.path.dirname(os.path.abspath(__file__))
    return pytest.main(["-q", "-p", "no:cacheprovider", here])


if __name__ == "__main__":
    sys.exit(main())
