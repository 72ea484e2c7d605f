package io.mysqlresync.ledger;

import io.mysqlresync.replication.BinlogCoordinates;

/**
 * A replica asks its source for a position past the end of the source's binlog: the crash cut
 * the file, and what the replica received between the cut and its position may exist on the
 * replica only.
 *
 * @param origin   the source whose binlog was cut (the node that crashed)
 * @param holder   the replica that had received past the cut
 * @param received the holder's Master_Log_File / Read_Master_Log_Pos
 * @param fileEnds the size of that file on the origin now
 */
public record TruncatedBinlog(String origin, String holder, BinlogCoordinates received, long fileEnds) {

    /** Bytes between the end of the cut file and what the holder had read: evidence, not the loss. */
    public long bytesCut() {
        return Math.max(0, received.position() - fileEnds);
    }
}
