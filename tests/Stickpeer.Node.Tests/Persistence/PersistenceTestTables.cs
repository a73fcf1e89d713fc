// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Stickpeer.Node.Persistence;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Node.Tests.Persistence;

/// <summary>Tables and data directories for the persistence tests, on a fake clock.</summary>
internal static class PersistenceTestTables
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider NewTime() => new(Start);

    /// <summary>A string-keyed table "mesh/t" (expire 10 min, gpc0, http_req_rate over 10 s, server_key).</summary>
    public static StickTable Table(TimeProvider time, string name = "mesh/t", uint expireMs = 600_000, long size = 100_000) =>
        new(name, new TableSchema("/t", StickKeyType.String, 32, expireMs,
            [new DataTypeSpec(StickDataType.Gpc0, 1, 0), new DataTypeSpec(StickDataType.HttpReqRate, 1, 10_000), new DataTypeSpec(StickDataType.ServerKey, 1, 0)]),
            size, options: new StickTableOptions { TimeProvider = time });

    public static byte[] Key(string text) => Encoding.ASCII.GetBytes(text);

    public static NodePersistence Open(string directory, TimeProvider time, params StickTable[] tables) =>
        NodePersistence.Open(new PersistenceOptions { DataDirectory = directory, Fsync = FsyncMode.Never }, tables, time, NullLogger.Instance);

    public static long Gpc0(StickTable table, string key) =>
        table.TryGetValue(Key(key), StickDataType.Gpc0, 0, out var v) ? v : -1;

    /// <summary>Every live entry as "key=gpc0/server_key", sorted: what two tables must agree on.</summary>
    public static string Dump(StickTable table) =>
        string.Join(",", table.Enumerate().Select(e => Encoding.ASCII.GetString(e.Key) + "=" + Gpc0(table, Encoding.ASCII.GetString(e.Key)) + "/" + (table.TryGetText(e.Key, out var t) ? t : null)).Order(StringComparer.Ordinal));
}
