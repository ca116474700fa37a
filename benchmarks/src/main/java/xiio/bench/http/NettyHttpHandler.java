package xiio.bench.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Answers every request the way a tuned Netty hello server does (the TechEmpower
 * shape): straight off {@code HttpServerCodec}'s {@link HttpRequest}, no aggregator,
 * a pre-encoded body shared by all responses, header names as constants, and one
 * flush per batch of reads, so pipelined answers leave in one write. {@code /} is the
 * hello page (GET, HEAD); {@code POST /echo} answers the request body with its
 * Content-Type, as the example does (the body's pieces gathered into one composite
 * buffer without a copy, at most {@link HelloPage#MAX_BODY} bytes, else 413 and
 * close); anything else is a short 404. One handler per connection: it holds the
 * body being gathered.
 */
final class NettyHttpHandler extends ChannelInboundHandlerAdapter {
    // Spelled as the xiio example spells them: Netty's own constants are lower case.
    private static final AsciiString DATE = AsciiString.cached("Date");
    private static final AsciiString SERVER = AsciiString.cached("Server");
    private static final AsciiString CONTENT_TYPE = AsciiString.cached("Content-Type");
    private static final AsciiString CONTENT_LENGTH = AsciiString.cached("Content-Length");
    private static final AsciiString CONNECTION = AsciiString.cached("Connection");
    private static final AsciiString CLOSE = AsciiString.cached("close");
    private static final AsciiString SERVER_NAME = AsciiString.cached(HelloPage.SERVER);
    private static final AsciiString HTML = AsciiString.cached(HelloPage.CONTENT_TYPE);
    private static final AsciiString TEXT = AsciiString.cached("text/plain; charset=utf-8");
    private static final AsciiString OCTETS = AsciiString.cached(HelloPage.ECHO_DEFAULT_TYPE);

    private static final ByteBuf HELLO = constant(HelloPage.BODY);
    private static final ByteBuf NOT_FOUND = constant("404 Not Found\n".getBytes(StandardCharsets.UTF_8));
    private static final AsciiString HELLO_LENGTH = AsciiString.of(Integer.toString(HelloPage.BODY.length));
    private static final AsciiString NOT_FOUND_LENGTH = AsciiString.of(Integer.toString(NOT_FOUND.readableBytes()));

    // The values above are valid by construction; validating them per response is wasted work.
    private static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
    private static final HttpHeadersFactory TRAILERS = DefaultHttpHeadersFactory.trailersFactory().withValidation(false);

    private final Supplier<AsciiString> date;
    private HttpRequest echoing; // a POST /echo whose body is being gathered, or null
    private CompositeByteBuf echoBody;

    /** {@code date} gives the current Date header value (refreshed once a second by the server). */
    NettyHttpHandler(Supplier<AsciiString> date) {
        this.date = date;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest req) {
                if (req.method().equals(HttpMethod.POST) && req.uri().equals("/echo")) startEcho(ctx, req);
                else answer(ctx, req);
            }
            // other bodies are dropped: the hello page has no use for them
            if (msg instanceof HttpContent content && echoing != null) gather(ctx, content);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void startEcho(ChannelHandlerContext ctx, HttpRequest req) {
        if (HttpUtil.getContentLength(req, 0L) > HelloPage.MAX_BODY) {
            tooLarge(ctx);
            return;
        }
        echoing = req;
        echoBody = ctx.alloc().compositeDirectBuffer(1024);
    }

    private void gather(ChannelHandlerContext ctx, HttpContent content) {
        echoBody.addComponent(true, content.content().retain());
        if (echoBody.readableBytes() > HelloPage.MAX_BODY) {
            dropEcho();
            tooLarge(ctx);
            return;
        }
        if (!(content instanceof LastHttpContent)) return;
        HttpRequest req = echoing;
        ByteBuf body = echoBody;
        echoing = null;
        echoBody = null;
        String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body, HEADERS, TRAILERS);
        HttpHeaders h = res.headers();
        h.set(DATE, date.get());
        h.set(SERVER, SERVER_NAME);
        h.set(CONTENT_TYPE, type != null ? type : OCTETS);
        h.set(CONTENT_LENGTH, body.readableBytes());
        send(ctx, req, res);
    }

    private void tooLarge(ChannelHandlerContext ctx) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                Unpooled.EMPTY_BUFFER, HEADERS, TRAILERS);
        res.headers().set(CONTENT_LENGTH, 0).set(CONNECTION, CLOSE);
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }

    private void dropEcho() {
        if (echoBody != null) echoBody.release();
        echoBody = null;
        echoing = null;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        dropEcho();
        ctx.fireChannelInactive();
    }

    private void answer(ChannelHandlerContext ctx, HttpRequest req) {
        boolean head = req.method().equals(HttpMethod.HEAD);
        boolean hello = req.uri().equals("/") && (head || req.method().equals(HttpMethod.GET));
        ByteBuf body = hello ? HELLO : NOT_FOUND;
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                hello ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND,
                head ? Unpooled.EMPTY_BUFFER : body.duplicate(), HEADERS, TRAILERS);
        HttpHeaders h = res.headers();
        h.set(DATE, date.get());
        h.set(SERVER, SERVER_NAME);
        h.set(CONTENT_TYPE, hello ? HTML : TEXT);
        h.set(CONTENT_LENGTH, hello ? HELLO_LENGTH : NOT_FOUND_LENGTH);
        send(ctx, req, res);
    }

    /** Written now, flushed with the batch; or, when the client asked to close, flushed and closed. */
    private static void send(ChannelHandlerContext ctx, HttpRequest req, FullHttpResponse res) {
        if (HttpUtil.isKeepAlive(req)) {
            ctx.write(res, ctx.voidPromise());
        } else {
            res.headers().set(CONNECTION, CLOSE);
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset peer or a malformed request: nothing to answer
    }

    private static ByteBuf constant(byte[] bytes) {
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes));
    }
}
