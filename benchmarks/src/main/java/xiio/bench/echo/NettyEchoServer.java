package xiio.bench.echo;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The Netty peer of the echo benchmark, written as Netty's own echo example is: ONE
 * event loop thread that both accepts and serves every connection, TCP_NODELAY, and
 * the idiomatic handler (write each read buffer back, flush once per read batch).
 * Buffers are Netty's default: pooled, direct. The transport is native epoll, NIO, or
 * Netty 4.2's io_uring (its native jar, with the transport's default ring settings).
 *
 * <pre>NettyEchoServer --transport epoll|nio|io_uring [--port P]     (port 0 picks a free one)</pre>
 */
public final class NettyEchoServer {
    private NettyEchoServer() {}

    public static void main(String[] args) throws Exception {
        PeerArgs options = PeerArgs.parse(args, "NettyEchoServer --transport epoll|nio|io_uring [--port P]",
                Set.of("--transport", "--port"));
        String transport = options.get("--transport", "epoll");
        IoHandlerFactory io;
        Class<? extends ServerChannel> channelType;
        switch (transport) {
            case "epoll" -> {
                Epoll.ensureAvailability(); // fail loudly rather than measure something else
                io = EpollIoHandler.newFactory();
                channelType = EpollServerSocketChannel.class;
            }
            case "nio" -> {
                io = NioIoHandler.newFactory();
                channelType = NioServerSocketChannel.class;
            }
            case "io_uring" -> {
                IoUring.ensureAvailability(); // no silent fall-back to epoll either
                io = IoUringIoHandler.newFactory();
                channelType = IoUringServerSocketChannel.class;
            }
            default -> throw new IllegalArgumentException("--transport is epoll, nio or io_uring, not " + transport);
        }
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, io);
        Channel server = new ServerBootstrap()
                .group(loop) // the same single thread accepts and serves
                .channel(channelType)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new EchoHandler())
                .bind("127.0.0.1", options.port()).sync().channel();
        ExitOnSignal.install(() -> {
            server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        });
        System.out.println("netty-echo listening on " + server.localAddress() + " (transport " + transport
                + ", pid " + ProcessHandle.current().pid() + ")");
        System.out.flush();
        server.closeFuture().sync();
    }

    /** Netty's echo: every buffer read is written back; one flush per batch of reads. */
    @Sharable
    static final class EchoHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a reset peer ends its own connection, quietly
        }
    }
}
