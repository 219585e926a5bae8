"""Zip containers from users (.xlsx, .docx) checked before anything unpacks them.

A few kilobytes of zip can unpack to gigabytes (a zip bomb); openpyxl and python-docx trust the
sizes and read whole members into memory. The central directory states every member's size, and
zipfile never unpacks more than that stated size, so summing it bounds what reading can cost.
"""

from __future__ import annotations

import io
import zipfile

from onrust.errors import UserError

# A signal list or a press text is well under 5 MB unpacked; ten times that is no real document.
MAX_UNPACKED_BYTES = 50_000_000
# Word and Excel files hold a few dozen parts; thousands are a trick to exhaust memory.
MAX_MEMBERS = 1000


class ArchiveError(UserError):
    """Unpacking the file would cost more than any real document."""


def check_zip(data: bytes, name: str, kind: str) -> None:
    """Refuse `data` (a file called `name` that should be a `kind`) unless it is a small zip;
    zipfile.BadZipFile when it is no zip at all (each reader words that in its own terms)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise ArchiveError(f"{name} is geen gewoon {kind}: het bevat meer dan {MAX_MEMBERS} onderdelen")
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise ArchiveError(f"{name} is uitgepakt meer dan {MAX_UNPACKED_BYTES // 1_000_000} MB; "
                           f"dat is geen gewoon {kind}")
