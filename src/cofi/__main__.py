from cofi.cli import main

main()
