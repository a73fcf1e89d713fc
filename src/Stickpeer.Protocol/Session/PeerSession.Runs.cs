// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Session;

/// <content>
/// The learner's side of receiving: consecutive updates of one table handed over as a run, and
/// the ACKs queued at the end of a received batch.
/// </content>
public sealed partial class PeerSession
{
    /// <summary>The table whose run is being decoded (null when no update waits to be handed over).</summary>
    private ReceivedTable? _pendingRun;

    /// <summary>
    /// <see cref="FlushAcks"/> at the end of a received batch, except while a lesson we asked for is
    /// arriving: its teacher ignores ACKs until the lesson ends (HAProxy 3.3 sends none then), and one
    /// ACK per read cost the learner a write — a wake-up of its writer — per received buffer. They
    /// wait for the end marker (00 01/00 02 flushes them), or until a table has
    /// <see cref="LessonAckInterval"/> updates unacknowledged (so a peer that never ends its lesson
    /// still sees ACKs well inside any push window). Returns the number of ACKs queued.
    /// </summary>
    public int FlushAcksAfterReceive()
    {
        if (_lessonRequested)
        {
            var overdue = false;
            foreach (var rx in _received.Accepted)
            {
                overdue |= rx.AckDue && rx.UnackedUpdates >= LessonAckInterval;
            }

            if (!overdue)
            {
                return 0;
            }
        }

        return FlushAcks();
    }

    /// <summary>Updates of one table after which a learner acknowledges even during a lesson (see <see cref="FlushAcksAfterReceive"/>).</summary>
    public const int LessonAckInterval = 16_384;

    /// <summary>Hands the updates decoded since the last hand-over to the handler, as one run.</summary>
    private void FlushRun()
    {
        if (_pendingRun is not { } rx)
        {
            return;
        }

        _pendingRun = null;
        var count = rx.Pending;
        rx.Pending = 0;
        if (count == 1)
        {
            _handler.OnUpdate(rx.LocalId, rx.Buffer!);
            return;
        }

        rx.Pending = count;
        try
        {
            _handler.OnUpdates(rx.LocalId, rx.Run);
        }
        finally
        {
            rx.Pending = 0;
        }
    }
}
