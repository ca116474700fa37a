package xiio.http.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xiio.core.Xiio;

/**
 * Our client against Netty's HTTP codec (NIO transport, one event loop thread, for
 * the whole class): an independent server for keep-alive, bodies both ways in
 * Content-Length and chunked framing, a body that ends with the close, HEAD, and
 * bounded redirects.
 */
class NettyServerPeerTest {
    private static final byte[] MEGABYTE = new byte[1 << 20];
    private static EventLoopGroup loop;
    private static Channel listener;
    private static final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();

    static {
        new Random(11).nextBytes(MEGABYTE);
    }

    @BeforeAll
    static void startNetty() throws Exception {
        loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        listener = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new FramingNote(), new HttpObjectAggregator(8 << 20), new Routes());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    @AfterAll
    static void stopNetty() {
        listener.close().syncUninterruptibly();
        loop.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void forgetPorts() {
        clientPorts.clear();
    }

    /** Notes how the request body came, before the aggregator makes every body a sized one. */
    private static final class FramingNote extends io.netty.channel.ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof io.netty.handler.codec.http.HttpRequest req) {
                req.headers().set("X-Request-Framing", HttpUtil.isTransferEncodingChunked(req) ? "chunked" : "length " + req.headers().get(HttpHeaderNames.CONTENT_LENGTH));
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** The peer's routes, on Netty's event loop. */
    private static final class Routes extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            clientPorts.add(((InetSocketAddress) ctx.channel().remoteAddress()).getPort());
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            String path = URI.create(req.uri()).getPath();
            if (path.equals("/chunked")) {
                DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                HttpUtil.setTransferEncodingChunked(head, true);
                ctx.write(head);
                for (int at = 0; at < MEGABYTE.length; at += 65536) ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(MEGABYTE, at, 65536)));
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                return;
            }
            if (path.equals("/until-close")) {
                // neither length nor chunking: the body ends with the connection
                DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.write(head);
                ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer("until the close".getBytes(StandardCharsets.UTF_8))));
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            FullHttpResponse res;
            if (path.startsWith("/redirect/")) {
                int n = Integer.parseInt(path.substring("/redirect/".length()));
                res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FOUND);
                res.headers().set(HttpHeaderNames.LOCATION, n == 0 ? "/hello" : "/redirect/" + (n - 1));
            } else if (path.equals("/echo")) {
                res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, req.content().retainedDuplicate());
                res.headers().set("X-Request-Framing", req.headers().get("X-Request-Framing"));
            } else {
                res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.wrappedBuffer("hello from netty".getBytes(StandardCharsets.UTF_8)));
            }
            HttpUtil.setContentLength(res, res.content().readableBytes());
            if (req.method().name().equals("HEAD")) res.content().clear(); // the length stays: what a GET would get
            if (!keepAlive) res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            var written = ctx.writeAndFlush(res);
            if (!keepAlive) written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + ((InetSocketAddress) listener.localAddress()).getPort() + path);
    }

    @Test
    void keepsOneConnectionForManyRequestsAndHead() throws Exception {
        Xiio.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                for (int i = 0; i < 10; i++) assertEquals("hello from netty", client.send(ClientRequest.get(uri("/hello"))).body().text());
                ClientResponse head = client.send(ClientRequest.head(uri("/hello")));
                assertEquals("16", head.header("Content-Length"));
                assertEquals(0, head.body().readAllBytes().length, "no body after a HEAD, whatever the length says");
                assertEquals("hello from netty", client.send(ClientRequest.get(uri("/hello"))).body().text());
                assertEquals(1, clientPorts.size(), "twelve requests, one connection: " + clientPorts);
            }
            return null;
        });
    }

    @Test
    void sendsBodiesWithALengthAndChunkedAndReadsAChunkedMegabyte() throws Exception {
        Xiio.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                ClientResponse fixed = client.send(ClientRequest.post(uri("/echo"), RequestBody.of(MEGABYTE)));
                assertEquals("length " + MEGABYTE.length, fixed.header("X-Request-Framing"));
                assertArrayEquals(MEGABYTE, fixed.body().readAllBytes());
                RequestBody streamed = RequestBody.ofStream(-1, out -> {
                    for (int at = 0; at < MEGABYTE.length; at += 30_000) {
                        out.write(MEGABYTE, at, Math.min(30_000, MEGABYTE.length - at));
                        Xiio.yieldNow();
                    }
                });
                ClientResponse chunked = client.send(ClientRequest.post(uri("/echo"), streamed));
                assertEquals("chunked", chunked.header("X-Request-Framing"));
                assertArrayEquals(MEGABYTE, chunked.body().readAllBytes());
                byte[] got = client.exchange(ClientRequest.get(uri("/chunked")), r -> {
                    assertEquals("chunked", r.header("Transfer-Encoding"));
                    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
                    byte[] buf = new byte[5000];
                    for (int n; (n = r.body().read(buf, 0, buf.length)) > 0; ) all.write(buf, 0, n);
                    return all.toByteArray();
                });
                assertArrayEquals(MEGABYTE, got);
                assertEquals(1, clientPorts.size(), "all on one connection: " + clientPorts);
            }
            return null;
        });
    }

    @Test
    void readsABodyThatEndsWithTheCloseAndDoesNotReuseThatConnection() throws Exception {
        Xiio.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                assertEquals("until the close", client.send(ClientRequest.get(uri("/until-close"))).body().text());
                assertEquals(0, client.stats().idle(), "a connection that ended its body by closing is not pooled");
                assertEquals("hello from netty", client.send(ClientRequest.get(uri("/hello"))).body().text());
                assertEquals(2, clientPorts.size());
            }
            return null;
        });
    }

    @Test
    void followsRedirectsOnlyWhenAskedAndOnlySoMany() throws Exception {
        Xiio.run(() -> {
            try (HttpClient plain = HttpClient.create()) {
                assertEquals(302, plain.send(ClientRequest.get(uri("/redirect/2"))).status(), "off by default");
            }
            try (HttpClient following = HttpClient.builder().redirects(RedirectPolicy.follow(3)).build()) {
                ClientResponse r = following.send(ClientRequest.get(uri("/redirect/2")));
                assertEquals("hello from netty", r.body().text());
                assertEquals(uri("/hello"), r.uri());
                TooManyRedirectsException e = assertThrows(TooManyRedirectsException.class, () -> following.send(ClientRequest.get(uri("/redirect/5"))));
                assertTrue(e.getMessage().contains("3"), e.getMessage());
            }
            return null;
        });
    }
}
