// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text;
using Microsoft.Extensions.Time.Testing;
using Stickpeer.Node.Replication;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;
using Stickpeer.TestKit.Replication;

namespace Stickpeer.Node.Tests.Replication;

/// <summary>One table per node for scenario tests, either the in-memory fake or the real engine.</summary>
internal sealed class TestTable
{
    private readonly InMemoryReplicatedTable? _fake;
    private readonly StickTable? _real;

    private TestTable(InMemoryReplicatedTable? fake, StickTable? real)
    {
        _fake = fake;
        _real = real;
        Replica = fake is not null ? fake : new StickTableReplica(real!);
    }

    public IReplicatedTable Replica { get; }

    public static TestTable Create(bool real, FakeTimeProvider time)
    {
        if (!real)
        {
            return new TestTable(InMemoryReplicatedTable.CreateStringGpc0(), null);
        }

        var schema = new TableSchema("stkt", StickKeyType.String, 32, 60_000, [new DataTypeSpec(StickDataType.ServerId, 1, 0), new DataTypeSpec(StickDataType.Gpc0, 1, 0)]);
        return new TestTable(null, new StickTable("stkt", schema, 100_000, options: new StickTableOptions { TimeProvider = time, ShardCount = 4 }));
    }

    public void Set(string key, ulong gpc0)
    {
        if (_fake is not null)
        {
            _fake.SetLocal(key, gpc0);
            return;
        }

        _real!.Set(Encoding.ASCII.GetBytes(key), [new DataAssignment(StickDataType.Gpc0, 0, (long)gpc0)]);
    }

    public ulong? Get(string key)
    {
        if (_fake is not null)
        {
            return _fake.GetGpc0(key);
        }

        return _real!.TryGetValue(Encoding.ASCII.GetBytes(key), StickDataType.Gpc0, 0, out var v) ? (ulong)v : null;
    }

    public int Count => _fake?.Count ?? _real!.Enumerate().Count();
}
