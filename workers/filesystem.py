"""kombu's filesystem transport, safe against a message file that is not whole.

kombu writes a message straight into the queue folder (create, then write) and a
consumer takes any file whose name fits, so a worker could read a file that another
process had only just created, or one left empty by a process killed mid-write. kombu
then raises a JSON error out of the consumer loop and the worker stops for good.

Here a message is written under a name no consumer picks up and renamed into place
(one atomic step), and a file that still cannot be read is logged and skipped.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import uuid
from queue import Empty
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

logger = logging.getLogger("via.workers")


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        # A leading dot: `_get` only takes names whose part after the first dot is
        # "<queue>.msg", so the file is invisible until it is renamed.
        partial = os.path.join(self.data_folder_out, f".{name}.part")
        try:
            with open(partial, "wb") as handle:
                handle.write(str_to_bytes(dumps(payload)))
            os.replace(partial, os.path.join(self.data_folder_out, name))
        except OSError as exc:
            raise ChannelError(f"Cannot add file {name!r} to directory") from exc

    def _get(self, queue):
        wanted = f"{queue}.msg"
        target = self.processed_folder if self.store_processed else tempfile.gettempdir()
        for filename in sorted(os.listdir(self.data_folder_in)):
            if filename.partition(".")[2] != wanted:
                continue
            try:
                shutil.move(os.path.join(self.data_folder_in, filename), target)
            except OSError:
                continue  # another consumer took it first
            taken = os.path.join(target, filename)
            try:
                with open(taken, "rb") as handle:
                    payload = handle.read()
                if not self.store_processed:
                    os.remove(taken)
            except OSError as exc:
                raise ChannelError(f"Cannot read file {taken!r} from queue.") from exc
            try:
                return loads(bytes_to_str(payload))
            except ValueError:
                logger.error("event=broker_message_unreadable file=%s", filename)
        raise Empty()


class Transport(filesystem.Transport):
    Channel = Channel
