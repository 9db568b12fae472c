import sys

from benchmarks.eval.run import main

sys.exit(main())
