"""Whether another account can read a directory tree's top: for Apache's workers, which a server started
as root runs under an unprivileged account. Reads permission bits (no ACLs): good enough to catch a
state directory under a 0700 home, where the workers would crash in a loop instead."""
import os
import stat


def blocking_path(path, uid, gids):
    """The first directory on the way to `path` (or `path` itself) that uid/gids cannot enter, or `path`
    when they cannot list it; None when they can read it."""
    path = os.path.abspath(path)
    parts = path.split(os.sep)[1:]
    for i in range(len(parts) + 1):
        current = os.sep + os.sep.join(parts[:i])
        try:
            st = os.stat(current)
        except OSError:
            return current
        needed = stat.S_IXOTH | (stat.S_IROTH if current == path else 0)
        if not _allowed(st, uid, gids, needed):
            return current
    return None


def _allowed(st, uid, gids, needed):
    """needed: in the 'other' bits (S_IROTH, S_IXOTH); shifted to the class that applies, as the kernel does."""
    if uid == 0:
        return True
    if st.st_uid == uid:
        shift = 6
    elif st.st_gid in gids:
        shift = 3
    else:
        shift = 0
    return (st.st_mode >> shift) & needed == needed
