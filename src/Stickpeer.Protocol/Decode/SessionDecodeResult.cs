// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;

namespace Stickpeer.Protocol.Decode;

/// <summary>Everything decoded from one direction, and the failure that stopped decoding (if any).</summary>
public sealed class SessionDecodeResult
{
    internal SessionDecodeResult(IReadOnlyList<DecodedMessage> messages, DecodeFailure? failure, long totalBytes)
    {
        Messages = messages;
        Failure = failure;
        TotalBytes = totalBytes;
    }

    /// <summary>Items decoded before the end (or before the failure).</summary>
    public IReadOnlyList<DecodedMessage> Messages { get; }

    /// <summary>Null when every byte decoded.</summary>
    public DecodeFailure? Failure { get; }

    /// <summary>Input length in bytes.</summary>
    public long TotalBytes { get; }

    /// <summary>The output lines: <c>@&lt;offset&gt; &lt;text&gt;</c> per item.</summary>
    public IEnumerable<string> Lines =>
        Messages.Select(m => string.Create(CultureInfo.InvariantCulture, $"@{m.Offset} {m.Text}"));
}
