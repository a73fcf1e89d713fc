// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging.Abstractions;
using Stickpeer.Node.Replication;

namespace Stickpeer.Node.Tests.Replication;

public sealed class SyncCoordinatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    private static SyncCoordinator New(params string[] peers) => new(peers, learn: true, Window, T0, NullLogger.Instance);

    private static void Post(SyncCoordinator c, SyncEventKind kind, string peer, long gen) => c.Post(new SyncEvent(kind, new SessionRef(peer, gen)));

    [Fact]
    public void Coordinator_SessionClosedAfterResyncFinishedBeforeCommit_DoesNotCrashAndCommitsLesson()
    {
        // HAProxy 3.0 crash (spec §9.7): the lesson end marker arrived, then the session was
        // released before the sync task committed the lesson.
        var c = New("p", "q");
        Post(c, SyncEventKind.SessionEstablished, "p", 1);
        Assert.Equal(new SessionRef("p", 1), c.Process(T0));

        Post(c, SyncEventKind.LessonFinished, "p", 1);
        Post(c, SyncEventKind.SessionEnded, "p", 1);
        var next = c.Process(T0.AddMilliseconds(1));

        Assert.Null(next);
        Assert.Equal(SyncState.Finished, c.State);
        Assert.Null(c.Learning);
        Assert.Equal(1, c.LessonsCompleted);
        Assert.Equal(0, c.LessonsAborted);
    }

    [Fact]
    public void Coordinator_SessionClosedAfterResyncPartialBeforeCommit_CountsLessonAndAsksAnotherPeer()
    {
        var c = New("p", "q");
        Post(c, SyncEventKind.SessionEstablished, "p", 1);
        Post(c, SyncEventKind.SessionEstablished, "q", 2);
        Assert.Equal(new SessionRef("p", 1), c.Process(T0));

        Post(c, SyncEventKind.LessonPartial, "p", 1);
        Post(c, SyncEventKind.SessionEnded, "p", 1);
        var next = c.Process(T0);

        Assert.Equal(new SessionRef("q", 2), next);
        Assert.Equal(SyncState.FromRemote, c.State);
        Assert.Equal(1, c.LessonsCompleted);
        Assert.Equal(0, c.LessonsAborted);
    }

    [Fact]
    public void Coordinator_LessonSessionEndsBeforeEndMarker_AbortsAndReassigns()
    {
        var c = New("p", "q");
        Post(c, SyncEventKind.SessionEstablished, "p", 1);
        Post(c, SyncEventKind.SessionEstablished, "q", 2);
        c.Process(T0);

        Post(c, SyncEventKind.SessionEnded, "p", 1);
        var next = c.Process(T0);

        Assert.Equal(new SessionRef("q", 2), next);
        Assert.Equal(1, c.LessonsAborted);
    }

    [Fact]
    public void Coordinator_LessonAbortedWithNoOtherPeer_FinishesWhenWindowExpires()
    {
        var c = New("p");
        Post(c, SyncEventKind.SessionEstablished, "p", 1);
        c.Process(T0);
        Post(c, SyncEventKind.SessionEnded, "p", 1);

        Assert.Null(c.Process(T0.AddSeconds(1)));
        Assert.Equal(SyncState.FromRemote, c.State);
        Assert.Null(c.Process(T0.AddSeconds(5.9)));
        Assert.Equal(SyncState.FromRemote, c.State);
        c.Process(T0.AddSeconds(6));
        Assert.Equal(SyncState.Finished, c.State);
    }

    [Fact]
    public void Coordinator_EndMarkerFromStaleGeneration_IsIgnored()
    {
        var c = New("p");
        Post(c, SyncEventKind.SessionEstablished, "p", 1);
        c.Process(T0);
        Post(c, SyncEventKind.SessionEnded, "p", 1);
        Post(c, SyncEventKind.SessionEstablished, "p", 2);
        Assert.Equal(new SessionRef("p", 2), c.Process(T0));

        Post(c, SyncEventKind.LessonFinished, "p", 1);
        c.Process(T0);

        Assert.Equal(SyncState.FromRemote, c.State);
        Assert.Equal(new SessionRef("p", 2), c.Learning);
        Assert.Equal(1, c.IgnoredEvents);
    }

    [Fact]
    public void Coordinator_StaleSessionEnded_DoesNotAbortNewerSessionsLesson()
    {
        var c = New("p");
        Post(c, SyncEventKind.SessionEstablished, "p", 1);
        Post(c, SyncEventKind.SessionEstablished, "p", 2);
        Assert.Equal(new SessionRef("p", 2), c.Process(T0));

        Post(c, SyncEventKind.SessionEnded, "p", 1);
        c.Process(T0);

        Assert.Equal(new SessionRef("p", 2), c.Learning);
        Assert.Equal(0, c.LessonsAborted);
    }

    [Fact]
    public void Coordinator_UnsolicitedEndMarker_DoesNotFinish()
    {
        var c = New("p");
        Post(c, SyncEventKind.SessionEstablished, "p", 1);
        c.Process(T0);
        Post(c, SyncEventKind.LessonFinished, "q", 7);
        c.Process(T0);

        Assert.Equal(SyncState.FromRemote, c.State);
        Assert.Equal(1, c.IgnoredEvents);
    }

    [Fact]
    public void Coordinator_PartialPeer_IsAskedAgainOnlyAfterItReconnects()
    {
        var c = New("p");
        Post(c, SyncEventKind.SessionEstablished, "p", 1);
        c.Process(T0);
        Post(c, SyncEventKind.LessonPartial, "p", 1);

        Assert.Null(c.Process(T0));
        Assert.True(c.IsNotUpToDate("p"));

        Post(c, SyncEventKind.SessionEnded, "p", 1);
        Post(c, SyncEventKind.SessionEstablished, "p", 3);
        Assert.Equal(new SessionRef("p", 3), c.Process(T0.AddSeconds(1)));
    }

    [Fact]
    public void Coordinator_NoPeerWithinWindow_Finishes()
    {
        var c = New("p");
        Assert.Null(c.Process(T0.AddSeconds(4)));
        Assert.Equal(SyncState.FromRemote, c.State);
        c.Process(T0.AddSeconds(5));
        Assert.Equal(SyncState.Finished, c.State);
    }

    [Fact]
    public void Coordinator_NoRemotePeers_StartsFinished() =>
        Assert.Equal(SyncState.Finished, New().State);

    [Theory]
    [InlineData(SyncEventKind.TeachStarted)]
    [InlineData(SyncEventKind.TeachConfirmed)]
    public void Coordinator_TeachingSessionEnds_ForgetsIt(SyncEventKind lastTeachEvent)
    {
        var c = New("p");
        Post(c, SyncEventKind.SessionEstablished, "p", 1);
        Post(c, SyncEventKind.TeachStarted, "p", 1);
        c.Process(T0);
        Assert.Single(c.Teaching);
        if (lastTeachEvent == SyncEventKind.TeachConfirmed)
        {
            Post(c, SyncEventKind.TeachConfirmed, "p", 1);
        }

        Post(c, SyncEventKind.SessionEnded, "p", 1);
        c.Process(T0);

        Assert.Empty(c.Teaching);
    }

    [Fact]
    public void Coordinator_TeachStartedForEndedSession_IsIgnored()
    {
        var c = New("p");
        Post(c, SyncEventKind.SessionEstablished, "p", 1);
        Post(c, SyncEventKind.SessionEnded, "p", 1);
        Post(c, SyncEventKind.TeachStarted, "p", 1);
        c.Process(T0);

        Assert.Empty(c.Teaching);
    }
}
