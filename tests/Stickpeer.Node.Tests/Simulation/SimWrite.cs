// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>Kind of a simulated local write.</summary>
internal enum SimWriteKind
{
    /// <summary>Set an integer value (server_id, gpt0, gpt[i], a counter) to <see cref="SimWrite.Value"/>.</summary>
    SetNumber,

    /// <summary>Add <see cref="SimWrite.Value"/> to a counter (gpc0, conn_cnt, gpc[i], bytes_in_cnt…).</summary>
    Increment,

    /// <summary>Add <see cref="SimWrite.Value"/> events to a frequency counter (a rate).</summary>
    RateHit,

    /// <summary>Set <c>server_key</c> to <see cref="SimWrite.Text"/>.</summary>
    SetText,
}

/// <summary>One local write the workload performs on a node.</summary>
internal sealed record SimWrite(string Table, byte[] Key, SimWriteKind Kind, StickDataType Type, int Index, ulong Value, string? Text)
{
    public string KeyId => Table + "|" + Convert.ToHexString(Key);

    public override string ToString() => $"{Kind} {Table} key={Convert.ToHexString(Key)} {Type}[{Index}] {(Kind == SimWriteKind.SetText ? Text : Value)}";
}
