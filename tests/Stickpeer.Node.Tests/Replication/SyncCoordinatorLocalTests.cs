// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging.Abstractions;
using Stickpeer.Node.Replication;

namespace Stickpeer.Node.Tests.Replication;

/// <summary>FROMLOCAL: the new process of a reload learns from the old one (peer "me", our own name) first.</summary>
public sealed class SyncCoordinatorLocalTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    private static SyncCoordinator New(params string[] peers)
    {
        var c = new SyncCoordinator(peers, learn: true, Window, T0, NullLogger.Instance);
        c.WaitForLocalTeacher("me", T0);
        return c;
    }

    private static void Post(SyncCoordinator c, SyncEventKind kind, string peer, long gen) => c.Post(new SyncEvent(kind, new SessionRef(peer, gen)));

    [Fact]
    public void FromLocal_RemoteSessionUp_NotAskedWhileWaitingForTheOldProcess()
    {
        var c = New("p");
        Post(c, SyncEventKind.SessionEstablished, "p", 1);

        Assert.Null(c.Process(T0.AddSeconds(1)));
        Assert.Equal(SyncState.FromLocal, c.State);

        Post(c, SyncEventKind.SessionEstablished, "me", 2);
        Assert.Equal(new SessionRef("me", 2), c.Process(T0.AddSeconds(2)));
        Post(c, SyncEventKind.LessonFinished, "me", 2);
        Assert.Null(c.Process(T0.AddSeconds(2)));
        Assert.Equal(SyncState.Finished, c.State);
    }

    [Fact]
    public void FromLocal_WindowExpires_RemotePeerAskedNext()
    {
        var c = New("p");
        Post(c, SyncEventKind.SessionEstablished, "p", 1);

        Assert.Null(c.Process(T0.AddSeconds(4.9)));
        Assert.Equal(new SessionRef("p", 1), c.Process(T0.AddSeconds(5)));
        Assert.Equal(SyncState.FromRemote, c.State);
    }

    [Fact]
    public void FromLocal_PartialLesson_RemotePeerAskedAtOnce()
    {
        var c = New("p");
        Post(c, SyncEventKind.SessionEstablished, "me", 1);
        Assert.Equal(new SessionRef("me", 1), c.Process(T0));
        Post(c, SyncEventKind.SessionEstablished, "p", 2);
        Post(c, SyncEventKind.LessonPartial, "me", 1);

        Assert.Equal(new SessionRef("p", 2), c.Process(T0.AddSeconds(1)));
        Assert.Equal(SyncState.FromRemote, c.State);
    }

    [Fact]
    public void FromLocal_LessonAborted_StaysAndAcceptsTheRetry()
    {
        var c = New("p");
        Post(c, SyncEventKind.SessionEstablished, "me", 1);
        Assert.Equal(new SessionRef("me", 1), c.Process(T0));
        Post(c, SyncEventKind.SessionEnded, "me", 1);

        Assert.Null(c.Process(T0.AddSeconds(1)));
        Assert.Equal(SyncState.FromLocal, c.State);
        Assert.Equal(1, c.LessonsAborted);
        Post(c, SyncEventKind.SessionEstablished, "me", 3);
        Assert.Equal(new SessionRef("me", 3), c.Process(T0.AddSeconds(1.2)));
    }

    [Fact]
    public void FromLocal_NoRemotePeers_WindowExpiryFinishes()
    {
        var c = New();

        Assert.Null(c.Process(T0.AddSeconds(5)));
        Assert.Equal(SyncState.Finished, c.State);
    }
}
