package xiio.bench.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;
import java.time.ZonedDateTime;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The peer of the http example in the HTTP benchmark: a Netty HTTP/1.1 hello server
 * with ONE event loop thread (it accepts and serves), keep-alive, and the same bytes
 * on {@code GET /} and {@code POST /echo} as the example (see {@link NettyHttpHandler}).
 * The transport is native epoll, NIO or io_uring. Prints
 * {@code netty-http listening on http://HOST:PORT/ (epoll) pid N}, runs until SIGINT
 * or SIGTERM, then closes and exits 0.
 */
@Command(name = "netty-http", mixinStandardHelpOptions = true,
        description = "A Netty HTTP/1.1 hello server on one event loop thread (the http benchmark's peer).")
public final class NettyHttpHelloServer implements java.util.concurrent.Callable<Integer> {
    /** The event loop transport. */
    enum Transport { epoll, nio, io_uring }

    @Option(names = "--port", required = true, description = "TCP port to listen on (0 picks a free one).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--transport", defaultValue = "epoll", description = "epoll (native), nio or io_uring (default: ${DEFAULT-VALUE}).")
    Transport transport;

    private volatile AsciiString date = now();

    /**
     * Runs the server until SIGINT or SIGTERM.
     *
     * @param args {@code --port P [--host H] [--transport epoll|nio|io_uring]}
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new NettyHttpHelloServer()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (transport == Transport.epoll) Epoll.ensureAvailability(); // fail loudly rather than measure something else
        if (transport == Transport.io_uring) IoUring.ensureAvailability();
        IoHandlerFactory io = switch (transport) {
            case epoll -> EpollIoHandler.newFactory();
            case nio -> NioIoHandler.newFactory();
            case io_uring -> IoUringIoHandler.newFactory();
        };
        Class<? extends ServerChannel> channel = switch (transport) {
            case epoll -> EpollServerSocketChannel.class;
            case nio -> NioServerSocketChannel.class;
            case io_uring -> IoUringServerSocketChannel.class;
        };
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, io);
        try {
            // Caching the Date value per second is what tuned Netty servers do; the xiio example does too.
            loop.next().scheduleAtFixedRate(() -> date = now(), 1, 1, TimeUnit.SECONDS);
            Channel server = new ServerBootstrap()
                    .group(loop, loop)
                    .channel(channel)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new NettyHttpHandler(() -> date));
                        }
                    })
                    .bind(new InetSocketAddress(host, port)).sync().channel();
            InetSocketAddress bound = (InetSocketAddress) server.localAddress();
            System.out.println("netty-http listening on http://" + bound.getHostString() + ":" + bound.getPort() + "/ ("
                    + transport + ") pid " + ProcessHandle.current().pid());
            System.out.flush();
            StopSignal.await();
            server.close().sync();
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        return 0;
    }

    private static AsciiString now() {
        return AsciiString.of(HelloPage.date(ZonedDateTime.now()));
    }
}
