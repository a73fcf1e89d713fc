// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Hosting;

namespace Stickpeer.Node.Embedding;

/// <summary>Runs the application's <see cref="StickpeerNode"/> with the host: started with it, stopped (queued updates sent) before it exits.</summary>
public sealed class StickpeerHostedService : IHostedService
{
    private readonly StickpeerNode _node;

    /// <summary>Runs <paramref name="node"/>.</summary>
    public StickpeerHostedService(StickpeerNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        _node = node;
    }

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken) => _node.StartAsync(cancellationToken);

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => _node.StopAsync(cancellationToken);
}
