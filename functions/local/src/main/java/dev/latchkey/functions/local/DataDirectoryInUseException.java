package dev.latchkey.functions.local;

import java.nio.file.Path;

/** Another local server holds the data folder: starting a second one on the same database files is refused. */
final class DataDirectoryInUseException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    DataDirectoryInUseException(Path folder) {
        super("Another Latchkey local server is already using the data folder " + folder + " (it holds "
                + folder.resolve(DataDirectory.LOCK_FILE) + "). Stop it first, or start this one with another "
                + "LATCHKEY_DATA_DIR.");
    }
}
