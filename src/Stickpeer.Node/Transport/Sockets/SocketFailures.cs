// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net.Sockets;

namespace Stickpeer.Node.Transport.Sockets;

/// <summary>Turns socket-layer exceptions into a <see cref="TransportFailure"/> and a readable reason.</summary>
internal static class SocketFailures
{
    public static TransportFailure Classify(Exception ex) => Innermost(ex) switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.ConnectionReset } => TransportFailure.Refused,
        SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain } => TransportFailure.HostNotFound,
        SocketException { SocketErrorCode: SocketError.TimedOut } => TransportFailure.TimedOut,
        _ => TransportFailure.NetworkError,
    };

    /// <summary>The message, with the innermost cause when it differs.</summary>
    public static string Describe(Exception ex)
    {
        var inner = Innermost(ex);
        return inner == ex ? ex.Message : $"{ex.Message} ({inner.Message})";
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }
}
