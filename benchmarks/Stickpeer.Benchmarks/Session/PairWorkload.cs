// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Stickpeer.Node.Replication;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;
using Stickpeer.Tables.Declaration;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Benchmarks.Session;

/// <summary>The replication workloads: the integer-key table, and the HAProxy reference table (<c>string len 32</c>, 4 data fields).</summary>
internal static class PairWorkload
{
    /// <summary>The declaration used for the HAProxy comparison (eng/resync-bench.sh uses the same line).</summary>
    public const string StringDeclaration = "type string len 32 size 2m expire 30m store gpc0,conn_cnt,http_req_cnt,http_req_rate(10s)";

    public static readonly StickTableDeclaration String = StickTableDeclaration.Parse(StringDeclaration.Split(' ')).Declaration!;

    public static readonly TableSchema StringSchema = String.ToSchema("/bench");

    /// <summary>The key of entry <paramref name="i"/> of the string workload (26 characters, as in eng/resync-bench.sh).</summary>
    public static string KeyText(int i) => $"client-{i:D8}.example.org";

    public static StickTable NewTable(TableSchema schema, int entries) =>
        new("bench", schema, Math.Max(entries * 2L, 2_000_000), options: new StickTableOptions { ShardCount = 16 });

    /// <summary>
    /// The updates of a lesson of <paramref name="entries"/> string-workload entries as a teacher
    /// writes them (timed, in teach order), appended to <paramref name="stream"/>.
    /// </summary>
    public static void WriteLessonUpdates(ArrayBufferWriter<byte> stream, int entries)
    {
        var source = NewTable(StringSchema, entries);
        Fill(source, entries);
        var cursor = new StickTableReplica(source).StartTeach();
        var into = new DecodedUpdate(StringSchema);
        var tx = new ServerKeyEncoderCache();
        while (cursor.TryReadNext(into))
        {
            PeerMessageWriter.WriteUpdate(stream, timed: true, into.UpdateId, into.ExpireMs, into.Key, into.Values, tx);
        }
    }

    /// <summary>Fills <paramref name="table"/> with <paramref name="n"/> local entries.</summary>
    public static void Fill(StickTable table, int n)
    {
        Span<byte> key = stackalloc byte[64];
        for (var i = 0; i < n; i++)
        {
            if (table.KeyType == StickKeyType.String)
            {
                var k = key[..Encoding.ASCII.GetBytes(KeyText(i), key)];
                table.Increment(k, StickDataType.Gpc0, 0, 1 + (i % 7));
                table.Increment(k, StickDataType.ConnCnt, 0, 1 + (i % 5));
                table.Increment(k, StickDataType.HttpReqCnt, 0, 1 + (i % 11));
            }
            else
            {
                BinaryPrimitives.WriteUInt32BigEndian(key, (uint)i);
                table.Increment(key[..4], StickDataType.Gpc0, 0, 1 + (i % 7));
            }
        }
    }
}
