// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Stickpeer.Daemon.Logging;

/// <summary>The daemon's console logger: one text line per event, or one JSON object per line (<c>--log-format json</c>).</summary>
internal static class ConsoleLogging
{
    private const string Timestamp = "yyyy-MM-ddTHH:mm:ss.fffZ ";

    public static ILoggingBuilder AddDaemonConsole(this ILoggingBuilder builder, bool json) => json
        ? builder.AddJsonConsole(o =>
        {
            // Each event is one line with its id, category, level, message, the template's named
            // values ("State") and any scopes, for log shippers.
            o.TimestampFormat = Timestamp.TrimEnd();
            o.UseUtcTimestamp = true;
            o.IncludeScopes = true;
            o.JsonWriterOptions = new JsonWriterOptions { Indented = false };
        })
        : builder.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.IncludeScopes = true;
            o.TimestampFormat = Timestamp;
            o.UseUtcTimestamp = true;
        });
}
