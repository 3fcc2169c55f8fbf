from site_builder.cli import main

main(prog_name="site-builder")
