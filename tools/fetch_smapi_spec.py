"""Download Amazon's SMAPI schemas (spec.json from the npm package ask-smapi-model) into var/, checked.

tests/test_schemas.py validates every interaction model and the skill manifest against them. The
package is fetched straight from the npm registry and its published sha512 checked, so neither
npm nor node is needed on the machine.
"""

from __future__ import annotations

import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "1.24.0"
TARBALL = f"https://registry.npmjs.org/ask-smapi-model/-/ask-smapi-model-{VERSION}.tgz"
INTEGRITY = "sha512-TEy9XpUePT/IXgW1tsiEk6g1Yrf29eHBi0qzW9MeF2sJ1o8KRPj71fXSuKQE8kM59PmgddnyE32dBNkxbm1BPw=="
MEMBER = "package/spec.json"


def fetch(target: Path) -> None:
    with urllib.request.urlopen(TARBALL, timeout=60) as response:
        data = response.read()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != INTEGRITY:
        raise SystemExit(f"ask-smapi-model {VERSION}: checksum mismatch ({digest})")
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        member = archive.extractfile(MEMBER)
        if member is None:
            raise SystemExit(f"ask-smapi-model {VERSION}: no {MEMBER}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(member.read())


if __name__ == "__main__":
    fetch(Path(sys.argv[1]))
