// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net.Sockets;

namespace Stickpeer.Node.Transport.Sockets;

/// <summary>
/// A listener address held by another socket. It stays a <see cref="SocketException"/> (callers that
/// report bind failures keep working) but its message names the address and, when /proc tells, the holder.
/// </summary>
public sealed class AddressInUseException : SocketException
{
    public AddressInUseException()
        : this("?", null)
    {
    }

    public AddressInUseException(string address, string? holder)
        : base((int)SocketError.AddressAlreadyInUse)
    {
        Address = address;
        Holder = holder;
    }

    /// <summary>The address that could not be bound.</summary>
    public string Address { get; }

    /// <summary>Who holds it (<c>pid 1234 (haproxy)</c>), or null when /proc does not tell.</summary>
    public string? Holder { get; }

    public override string Message => Holder is null
        ? $"address {Address} is already in use by another socket (its owner is not visible in /proc to this user)"
        : $"address {Address} is already in use by {Holder}";
}
