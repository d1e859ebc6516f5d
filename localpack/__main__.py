from localpack.cli import main

main()
