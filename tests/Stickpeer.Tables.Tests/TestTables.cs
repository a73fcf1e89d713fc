// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Time.Testing;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Declaration;
using Stickpeer.Tables.Engine;
using Stickpeer.Tables.Keys;

namespace Stickpeer.Tables.Tests;

internal static class TestTables
{
    public static StickTable Create(string declaration, FakeTimeProvider? time = null, string name = "t", int shards = 4, uint initialUpdateId = 0)
    {
        var result = StickTableDeclaration.Parse(declaration.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(result.IsSuccess, result.Error);
        return StickTable.Create(result.Declaration, name, name, new StickTableOptions
        {
            TimeProvider = time ?? new FakeTimeProvider(),
            ShardCount = shards,
            InitialUpdateId = initialUpdateId,
        });
    }

    public static byte[] Key(this StickTable table, string text) =>
        StickKeyText.TryParse(table.KeyType, table.Schema.KeySize, text) ?? throw new ArgumentException("bad key " + text);

    public static long Get(this StickTable table, string key, StickDataType type, int index = 0)
    {
        Assert.True(table.TryGetValue(table.Key(key), type, index, out var v), $"key {key} missing");
        return v;
    }

    public static DecodedUpdate Update(TableSchema senderSchema, byte[] key, Action<EntryValues> fill, uint? expireMs = null)
    {
        var u = new DecodedUpdate(senderSchema);
        u.SetKey(key);
        u.HasExpire = expireMs is not null;
        u.ExpireMs = expireMs ?? 0;
        fill(u.Values);
        return u;
    }
}
