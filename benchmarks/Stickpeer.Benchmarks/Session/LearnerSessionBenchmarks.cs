// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Stickpeer.Protocol.Handshake;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Session;
using Stickpeer.Protocol.Wire;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Benchmarks.Session;

/// <summary>
/// A learner's session receiving a full resync of <see cref="Entries"/> string-keyed updates in
/// 64 KiB reads (what the transport hands it) and applying them to a fresh table. Before: each
/// update handed to the handler and applied alone, an ACK queued per read. After: runs of
/// consecutive updates applied at once (<see cref="StickTable.ApplyRemoteRun"/>) and no ACK per read
/// during the requested lesson (<see cref="PeerSession.FlushAcksAfterReceive"/>).
/// Run: <c>dotnet run -c Release --project benchmarks/Stickpeer.Benchmarks -- --filter "*LearnerSession*" --inProcess --warmupCount 1 --iterationCount 5</c>.
/// </summary>
[MemoryDiagnoser]
public class LearnerSessionBenchmarks
{
    private const int ReadSize = 64 * 1024;
    private byte[] _wire = null!;
    private PeerSession _session = null!;
    private Learner _learner = null!;

    [Params(1_000_000)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var schema = PairWorkload.StringSchema;
        var stream = new ArrayBufferWriter<byte>(Entries * 48);
        PeerMessageWriter.WriteDefine(stream, 1, schema);
        PairWorkload.WriteLessonUpdates(stream, Entries);

        PeerMessageWriter.WriteControl(stream, ControlMessageType.ResyncFinished);
        _wire = stream.WrittenSpan.ToArray();
    }

    [IterationSetup(Target = nameof(PerUpdate))]
    public void NewPerUpdate() => NewSession(runs: false);

    [IterationSetup(Target = nameof(Runs))]
    public void NewRuns() => NewSession(runs: true);

    /// <summary>Before: <see cref="IPeerSessionHandler.OnUpdate"/> per update, ACK per read.</summary>
    [Benchmark(Baseline = true)]
    public long PerUpdate() => Feed(ackEachRead: true);

    /// <summary>After: <see cref="IPeerSessionHandler.OnUpdates"/> per run, ACKs at the end of the lesson.</summary>
    [Benchmark]
    public long Runs() => Feed(ackEachRead: false);

    private void NewSession(bool runs)
    {
        _learner = new Learner(PairWorkload.NewTable(PairWorkload.StringSchema, Entries), runs);
        _session = new PeerSession(PeerSessionRole.Acceptor, new PeerSessionOptions { LocalPeerName = "b", ProcessId = 1 }, _learner, TimeProvider.System, NullLogger.Instance);
        _session.Start();
        _session.Receive(new ReadOnlySequence<byte>("HAProxyS 2.1\nb\na 1 1\n"u8.ToArray()), out _, out _);
        _session.SendControl(ControlMessageType.ResyncRequest);
        _session.Output.Consume((int)_session.Output.Pending.Length);
    }

    private long Feed(bool ackEachRead)
    {
        var offset = 0;
        while (offset < _wire.Length)
        {
            var data = new ReadOnlySequence<byte>(_wire, offset, Math.Min(ReadSize, _wire.Length - offset));
            _session.Receive(data, out var consumed, out _);
            offset += (int)data.Slice(0, consumed).Length;
            _ = ackEachRead ? _session.FlushAcks() : _session.FlushAcksAfterReceive();
            _session.Output.Consume((int)_session.Output.Pending.Length);
        }

        return _learner.Table.Count == Entries ? Entries : throw new InvalidOperationException($"{_learner.Table.Count} of {Entries} applied");
    }

    private sealed class Learner(StickTable table, bool runs) : IPeerSessionHandler
    {
        private readonly ApplyResult[] _results = new ApplyResult[StickTable.MaxRemoteRun];

        public StickTable Table => table;

        public HandshakeStatus OnHello(string peerName, int versionMinor) => HandshakeStatus.Success;

        public void OnEstablished()
        {
        }

        public int OnDefine(int senderTableId, TableSchema schema) => 1;

        public void OnUpdate(int localTableId, DecodedUpdate update) => table.ApplyRemote(update, ApplyOptions.ForLesson(0));

        public void OnUpdates(int localTableId, ReadOnlySpan<DecodedUpdate> updates)
        {
            if (!runs)
            {
                foreach (var update in updates)
                {
                    OnUpdate(localTableId, update);
                }

                return;
            }

            table.ApplyRemoteRun(updates, ApplyOptions.ForLesson(0), _results);
        }

        public void OnAck(int localTableId, uint updateId)
        {
        }

        public void OnControl(ControlMessageType control)
        {
        }

        public void OnClosed(SessionCloseReason reason, string detail)
        {
        }
    }
}
