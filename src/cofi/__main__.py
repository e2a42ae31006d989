from cofi.entry import main

main()
