// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;

namespace Stickpeer.Node.Replication;

/// <content>Receiving a run of updates: consecutive updates of one table from one received buffer, applied together.</content>
public sealed partial class PeerNode
{
    /// <summary>
    /// A run of updates for table <paramref name="localTableId"/>: the same as <see cref="OnUpdate"/>
    /// for each in order, with the table applying the run at once. While a reload's hand-over
    /// filters updates per key, or a test observes each update, they go one by one.
    /// </summary>
    internal void OnUpdates(NodeConnection conn, int localTableId, ReadOnlySpan<DecodedUpdate> updates)
    {
        var t = localTableId - 1;
        if ((uint)t >= (uint)_tables.Length || updates.IsEmpty)
        {
            return;
        }

        if (_updatedDuringHandover is not null || UpdateObserver is not null)
        {
            foreach (var update in updates)
            {
                OnUpdate(conn, localTableId, update);
            }

            return;
        }

        // No ACK, SWITCH or control message came between them, so the preserve mark (which moves
        // with ACKs and lesson markers) is the same for every update of the run.
        conn.LastGet[t] = updates[^1].UpdateId;
        var mark = conn.LessonSession ? LessonPreserveMark(conn, t) : null;
        Span<RemoteApplyResult> results = stackalloc RemoteApplyResult[updates.Length];
        _tables[t].ApplyRemoteRunFrom(conn.Peer!.Name, updates, mark, results);
        foreach (var result in results)
        {
            if (result == RemoteApplyResult.KeptLocalNewer)
            {
                conn.Peer!.LessonUpdatesKeptLocal++;
                NodeLog.LessonKeptLocalWrite(_logger, conn.Ref);
            }
        }
    }
}
