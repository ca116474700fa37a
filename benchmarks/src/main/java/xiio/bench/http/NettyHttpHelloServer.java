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
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;
import java.time.ZonedDateTime;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * The peer of the http example in the HTTP benchmark: a Netty HTTP/1.1 hello server
 * with ONE event loop thread (it accepts and serves), keep-alive, and the same bytes
 * on {@code GET /} as the example's hello page. Prints
 * {@code netty-http listening on http://HOST:PORT/ (epoll) pid N}, runs until SIGINT
 * or SIGTERM, then closes and exits 0.
 */
@Command(name = "netty-http", mixinStandardHelpOptions = true,
        description = "A Netty HTTP/1.1 hello server on one event loop thread (the http benchmark's peer).")
public final class NettyHttpHelloServer implements java.util.concurrent.Callable<Integer> {
    /** The event loop transport. */
    enum Transport { epoll, nio }

    @Option(names = "--port", required = true, description = "TCP port to listen on (0 picks a free one).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--transport", defaultValue = "epoll", description = "epoll (native) or nio (default: ${DEFAULT-VALUE}).")
    Transport transport;

    private volatile AsciiString date = now();

    /**
     * Runs the server until SIGINT or SIGTERM.
     *
     * @param args {@code --port P [--host H] [--transport epoll|nio]}
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new NettyHttpHelloServer()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (transport == Transport.epoll) Epoll.ensureAvailability();
        IoHandlerFactory io = transport == Transport.epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channel = transport == Transport.epoll
                ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, io);
        try {
            NettyHelloHandler handler = new NettyHelloHandler(() -> date);
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
                            ch.pipeline().addLast(new HttpServerCodec(), handler);
                        }
                    })
                    .bind(new InetSocketAddress(host, port)).sync().channel();
            InetSocketAddress bound = (InetSocketAddress) server.localAddress();
            System.out.println("netty-http listening on http://" + bound.getHostString() + ":" + bound.getPort() + "/ ("
                    + transport + ") pid " + ProcessHandle.current().pid());
            System.out.flush();
            awaitStopSignal();
            server.close().sync();
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        return 0;
    }

    /** Blocks until SIGINT or SIGTERM; handling them ourselves is what makes the exit status 0, not 130/143. */
    private static void awaitStopSignal() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), s -> stop.countDown());
            } catch (IllegalArgumentException ignoredByParent) {
                // SIGINT of a background job stays ignored; SIGTERM still stops it
            }
        }
        stop.await();
    }

    private static AsciiString now() {
        return AsciiString.of(HelloPage.date(ZonedDateTime.now()));
    }
}
