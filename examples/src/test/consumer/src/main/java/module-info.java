/** A user's module: it needs only xiio. */
module consumer {
    requires xiio;
}
