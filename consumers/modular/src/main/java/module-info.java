/** demo.App as a module that requires carrierid's module. */
module demo.app {
    requires io.carrierid;
}
