// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;
using System.Text;

namespace Stickpeer.Interop.Tests.Scenario;

/// <summary>Writes one recorded direction in the <c>stickpeer decode</c> input format (hex, <c>#</c> comments).</summary>
internal static class RecordingFile
{
    private const int BytesPerLine = 32;

    public static string Format(RecordedDirection direction, string provenance)
    {
        ArgumentNullException.ThrowIfNull(direction);
        var sb = new StringBuilder();
        sb.Append("# Stickpeer recording: one direction of a HAProxy peers session (stickpeer decode input).\n");
        foreach (var line in provenance.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            sb.Append("# ").Append(line).Append('\n');
        }

        sb.Append(CultureInfo.InvariantCulture, $"# direction: {direction.From} -> {direction.To} ({(direction.IsConnectorSide ? "connector: starts with the hello" : "acceptor: starts with the status line")}); relay {direction.Relay}, connection {direction.ConnectionId}\n");
        var start = direction.Chunks.Count > 0 ? direction.Chunks[0].Timestamp : default;
        foreach (var chunk in direction.Chunks)
        {
            var ms = (chunk.Timestamp - start).TotalMilliseconds;
            sb.Append(CultureInfo.InvariantCulture, $"# +{ms:F1} ms, {chunk.Data.Length} bytes at offset {chunk.Offset}\n");
            var span = chunk.Data.Span;
            for (var i = 0; i < span.Length; i += BytesPerLine)
            {
                var line = span.Slice(i, Math.Min(BytesPerLine, span.Length - i));
                for (var j = 0; j < line.Length; j++)
                {
                    if (j > 0)
                    {
                        sb.Append(' ');
                    }

                    sb.Append(line[j].ToString("x2", CultureInfo.InvariantCulture));
                }

                sb.Append('\n');
            }
        }

        return sb.ToString();
    }
}
