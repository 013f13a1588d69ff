# The python-job workload: a batch job that works in a scratch directory under $TMPDIR (/tmp)
# and prints a checksum of what it wrote and read back.
import hashlib
import os
import tempfile

with tempfile.TemporaryDirectory() as work:
    path = os.path.join(work, "chunk")
    with open(path, "wb") as f:
        for i in range(64):
            f.write(bytes([i]) * 1024)
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
print("job ok", digest[:16])
