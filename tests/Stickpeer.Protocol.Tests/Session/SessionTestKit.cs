// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Session;
using Stickpeer.Protocol.Wire;

namespace Stickpeer.Protocol.Tests.Session;

internal static class SessionTestKit
{
    public static TableSchema Schema(string name = "stkt") =>
        new(name, StickKeyType.String, 32, 60_000, [new DataTypeSpec(StickDataType.Gpc0, 1, 0)]);

    public static FakeTimeProvider NewClock() => new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public static PeerSession Connector(RecordingSessionHandler handler, FakeTimeProvider time, string local = "a", string remote = "b") =>
        new(PeerSessionRole.Connector, new PeerSessionOptions { LocalPeerName = local, ProcessId = 42 }, handler, time, NullLogger.Instance, remote);

    public static PeerSession Acceptor(RecordingSessionHandler handler, FakeTimeProvider time, string local = "b", PeerSessionOptions? options = null) =>
        new(PeerSessionRole.Acceptor, options ?? new PeerSessionOptions { LocalPeerName = local, ProcessId = 43 }, handler, time, NullLogger.Instance);

    /// <summary>Feeds bytes; returns the number consumed.</summary>
    public static long Feed(PeerSession session, ReadOnlySequence<byte> data)
    {
        session.Receive(data, out var consumed, out _);
        return data.Slice(0, consumed).Length;
    }

    public static long Feed(PeerSession session, byte[] data) => Feed(session, new ReadOnlySequence<byte>(data));

    public static long Feed(PeerSession session, string ascii) => Feed(session, Encoding.ASCII.GetBytes(ascii));

    /// <summary>Takes everything the session wants to send.</summary>
    public static byte[] Drain(PeerSession session)
    {
        var bytes = session.Output.Pending.ToArray();
        session.Output.Consume(bytes.Length);
        return bytes;
    }

    public static string DrainText(PeerSession session) => Encoding.ASCII.GetString(Drain(session));

    public static byte[] Bytes(Action<ArrayBufferWriter<byte>> write)
    {
        var w = new ArrayBufferWriter<byte>();
        write(w);
        return w.WrittenSpan.ToArray();
    }

    public static byte[] Define(int id, TableSchema schema) => Bytes(w => PeerMessageWriter.WriteDefine(w, id, schema));

    public static byte[] Update(TableSchema schema, uint? id, string key, ulong gpc0, bool timed = false) => Bytes(w =>
    {
        var values = new EntryValues(schema);
        values.Of(StickDataType.Gpc0)[0].Number = gpc0;
        PeerMessageWriter.WriteUpdate(w, timed, id, 1000, Encoding.ASCII.GetBytes(key), values, new ServerKeyEncoderCache());
    });

    /// <summary>An established acceptor session (hello from "a" consumed, 200 drained).</summary>
    public static PeerSession EstablishedAcceptor(RecordingSessionHandler handler, FakeTimeProvider time, PeerSessionOptions? options = null)
    {
        var s = Acceptor(handler, time, options: options);
        s.Start();
        Feed(s, "HAProxyS 2.1\nb\na 1 1\n");
        Drain(s);
        return s;
    }
}
